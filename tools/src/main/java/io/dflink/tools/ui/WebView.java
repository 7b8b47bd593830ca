package io.dflink.tools.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The live web view: a page (served from this jar, its chart library included, so the browser
 * fetches nothing from the internet) that draws a running federation from the job's topics. The
 * page gets the whole view once as JSON ({@code /state}) and then every change as a server-sent
 * event ({@code /events}, event {@code state}), at most {@link #PUSH_MILLIS} apart; no reload. Runs
 * on the JDK's HTTP server, one thread per open page.
 */
public final class WebView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebView.class);

    /** How often an open page is checked for a newer snapshot. */
    static final long PUSH_MILLIS = 250;

    /** A comment line now and then keeps proxies and the browser from closing an idle stream. */
    private static final long HEARTBEAT_MILLIS = 10_000;

    private static final Map<String, String[]> PAGES =
            Map.of(
                    "/",
                    new String[] {"ui/index.html", "text/html; charset=utf-8"},
                    "/app.js",
                    new String[] {"ui/app.js", "text/javascript; charset=utf-8"},
                    "/style.css",
                    new String[] {"ui/style.css", "text/css; charset=utf-8"},
                    "/vendor/echarts.min.js",
                    new String[] {echartsPath(), "text/javascript; charset=utf-8"});

    private final TopicFeed feed;
    private final HttpServer server;
    private final ExecutorService threads;
    private volatile boolean open = true;

    private WebView(TopicFeed feed, HttpServer server, ExecutorService threads) {
        this.feed = feed;
        this.server = server;
        this.threads = threads;
    }

    /**
     * Starts reading the topics under {@code prefix} of the Kafka cluster {@code common} points at,
     * and serves the page on {@code host:port} (port 0: any free one).
     */
    public static WebView start(Properties common, String prefix, String host, int port)
            throws IOException {
        TopicFeed feed = new TopicFeed(common, prefix).start();
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        ExecutorService threads =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t = new Thread(r, "dflink-ui-http");
                            t.setDaemon(true);
                            return t;
                        });
        WebView view = new WebView(feed, server, threads);
        server.createContext("/", view::page);
        server.createContext("/state", view::state);
        server.createContext("/events", view::events);
        server.setExecutor(threads);
        server.start();
        LOG.info("web view on {}", view.url());
        return view;
    }

    /** The page's address. */
    public String url() {
        InetSocketAddress a = server.getAddress();
        return "http://" + a.getHostString() + ":" + a.getPort() + "/";
    }

    private void page(HttpExchange x) throws IOException {
        String[] page = PAGES.get(x.getRequestURI().getPath());
        if (page == null) {
            send(x, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (InputStream in = WebView.class.getClassLoader().getResourceAsStream(page[0])) {
            if (in == null) {
                throw new IllegalStateException(page[0] + " is missing from the classpath");
            }
            send(x, 200, page[1], in.readAllBytes());
        }
    }

    private void state(HttpExchange x) throws IOException {
        send(x, 200, "application/json", feed.snapshot());
    }

    private void events(HttpExchange x) throws IOException {
        x.getResponseHeaders().set("Content-Type", "text/event-stream");
        x.getResponseHeaders().set("Cache-Control", "no-cache");
        x.sendResponseHeaders(200, 0);
        byte[] sent = null;
        long quietSince = System.currentTimeMillis();
        try (OutputStream out = x.getResponseBody()) {
            while (open) {
                byte[] now = feed.snapshot();
                if (now != sent) {
                    out.write("event: state\ndata: ".getBytes(StandardCharsets.UTF_8));
                    out.write(now);
                    out.write("\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    sent = now;
                    quietSince = System.currentTimeMillis();
                } else if (System.currentTimeMillis() - quietSince > HEARTBEAT_MILLIS) {
                    out.write(": still here\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    quietSince = System.currentTimeMillis();
                }
                Thread.sleep(PUSH_MILLIS);
            }
        } catch (IOException e) {
            // the page was closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange x, int status, String type, byte[] body)
            throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    /** Where the echarts webjar keeps its minified bundle, whatever its version. */
    private static String echartsPath() {
        try (InputStream in =
                WebView.class
                        .getClassLoader()
                        .getResourceAsStream(
                                "META-INF/maven/org.webjars.npm/echarts/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the echarts webjar is not on the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return "META-INF/resources/webjars/echarts/"
                    + p.getProperty("version")
                    + "/dist/echarts.min.js";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        server.stop(0);
        threads.shutdownNow();
        feed.close();
    }
}
