package io.dflink.tools.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scrapes a Prometheus endpoint every {@code period} on its own thread, as a Prometheus server
 * would, so that a benchmark pays what a watched job pays: every metric collected and formatted
 * once per scrape. Counts the scrapes that answered and their bytes; a refused connection (the
 * reporter not up yet) is retried at the next tick.
 */
public final class PeriodicScrape implements AutoCloseable {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final HttpRequest request;
    private final long periodMillis;
    private final Thread thread;
    private final AtomicLong scrapes = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile boolean running = true;

    private PeriodicScrape(String url, Duration period) {
        this.request =
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
        this.periodMillis = period.toMillis();
        this.thread = new Thread(this::run, "dflink-scrape");
        thread.setDaemon(true);
    }

    public static PeriodicScrape start(String url, Duration period) {
        PeriodicScrape s = new PeriodicScrape(url, period);
        s.thread.start();
        return s;
    }

    public long scrapes() {
        return scrapes.get();
    }

    /** Bytes of the last scrape's body, on average. */
    public long bytesPerScrape() {
        long n = scrapes.get();
        return n == 0 ? 0 : bytes.get() / n;
    }

    private void run() {
        while (running) {
            try {
                HttpResponse<byte[]> r =
                        http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200) {
                    scrapes.incrementAndGet();
                    bytes.addAndGet(r.body().length);
                }
            } catch (java.io.IOException e) {
                // not serving yet, or already stopped: the next tick tries again
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
