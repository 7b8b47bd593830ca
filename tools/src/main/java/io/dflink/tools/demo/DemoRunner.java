package io.dflink.tools.demo;

import io.dflink.clients.FederatedClient;
import io.dflink.jobs.FdaOptions;
import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobOptions;
import io.dflink.mqtt.MqttBridge;
import io.dflink.mqtt.MqttTopics;
import io.dflink.operators.core.math.Vec;
import io.dflink.operators.functions.MetricsDetail;
import io.dflink.records.DeadLetter;
import io.dflink.records.TopologyEvent;
import io.dflink.serde.UpdateFormat;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.embedded.EmbeddedMqtt;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.fleet.GraphShapes;
import io.dflink.tools.fleet.MqttFleet;
import io.dflink.tools.fleet.ScalarRegressionScenario;
import io.dflink.tools.fleet.TopologyPublisher;
import io.dflink.tools.metrics.LocalMetrics;
import io.dflink.tools.report.RunObserver;
import io.dflink.tools.ui.WebView;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The embedded end-to-end run: an in-process KRaft broker, the DFL job in a MiniCluster, a ring
 * topology and a simulated fleet on the client SDK, all real components talking through Kafka.
 * Prints progress per round and returns what an observer saw on the topics.
 */
public final class DemoRunner {

    private final DemoSettings settings;
    private final PrintStream out;
    private final Duration timeout;
    private boolean overMqtt;
    private LocalMetrics metrics = LocalMetrics.NONE;
    private MetricsDetail serverMetrics = MetricsDetail.EDGES;
    private WebViewSettings webView;

    /** Where the demo serves its web view, and how long after the run it keeps it up. */
    public record WebViewSettings(String host, int port, long lingerSeconds) {}

    public DemoRunner(DemoSettings settings, PrintStream out, Duration timeout) {
        this.settings = settings;
        this.out = out;
        this.timeout = timeout;
    }

    /**
     * The fleet's devices speak MQTT (binary updates, one connection each) to an in-process MQTT
     * broker, and an MQTT bridge carries their traffic to and from Kafka; what the servers compute
     * is unchanged.
     */
    public DemoRunner overMqtt() {
        this.overMqtt = true;
        return this;
    }

    /** The job serves its Flink metrics as {@code metrics} says. */
    public DemoRunner withMetrics(LocalMetrics metrics) {
        this.metrics = metrics;
        return this;
    }

    /** The server operator registers these Flink metrics ({@code --server-metrics}). */
    public DemoRunner withServerMetrics(MetricsDetail detail) {
        this.serverMetrics = detail;
        return this;
    }

    /** The demo serves the live web view ({@code dflink ui}) on its own topics. */
    public DemoRunner withWebView(WebViewSettings webView) {
        this.webView = webView;
        return this;
    }

    public DemoResult run() throws Exception {
        ScalarRegressionScenario scenario =
                ScalarRegressionScenario.paperDefaults(
                        settings.seed(), settings.servers(), settings.clientsPerServer());
        long start = System.nanoTime();
        out.printf("starting an in-process Kafka broker and a Flink MiniCluster ...%n");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            JobConfig config = jobConfig(kafka.bootstrapServers());
            try (EmbeddedJob job = EmbeddedJob.start(config, metrics);
                    AutoCloseable view = startWebView(config);
                    RunObserver observer =
                            new RunObserver(config.kafkaCommon(), config.topicPrefix())) {
                List<String> servers = scenario.serverIds();
                TopologyPublisher.publish(
                        config.kafkaCommon(),
                        config.topicPrefix(),
                        TopologyEvent.graph(
                                0,
                                servers,
                                GraphShapes.edges(GraphShapes.Shape.RING, servers, 0, 0)));
                out.printf(
                        "ring of %d servers published; fleet of %d clients starting%n",
                        servers.size(), servers.size() * settings.clientsPerServer());
                try (AutoCloseable fleet = startFleet(config, scenario)) {
                    Followed run = follow(observer, servers, start);
                    double wall = (System.nanoTime() - start) / 1e9;
                    observer.countTraffic();
                    linger();
                    return new DemoResult(
                            settings,
                            wall,
                            run.roundSeconds(),
                            ScalarRegressionScenario.TRUE_MODEL,
                            scenario.pooledLeastSquares(),
                            run.byRound(),
                            observer.stepMillis(),
                            countByReason(observer.deadLetters()),
                            observer.perTopic(),
                            observer.sentByServer(),
                            observer.communication());
                }
            }
        }
    }

    private AutoCloseable startWebView(JobConfig config) throws Exception {
        if (webView == null) {
            return () -> {};
        }
        WebView view =
                WebView.start(
                        config.kafkaCommon(), config.topicPrefix(), webView.host(), webView.port());
        out.printf("web view: %s%n", view.url());
        return view;
    }

    private void linger() throws InterruptedException {
        if (webView != null && webView.lingerSeconds() > 0) {
            out.printf(
                    "run finished; the web view stays up for %d s (Ctrl-C to stop)%n",
                    webView.lingerSeconds());
            Thread.sleep(webView.lingerSeconds() * 1000);
        }
    }

    private AutoCloseable startFleet(JobConfig config, ScalarRegressionScenario scenario)
            throws Exception {
        Map<String, List<FederatedClient>> devices =
                Fleet.devices(scenario, settings.stepSize(), settings.localSteps());
        if (!overMqtt) {
            return Fleet.start(
                    config.kafkaCommon(),
                    config.topicPrefix(),
                    devices,
                    Fleet.Publishing.json(config.vectorEncoding()));
        }
        EmbeddedMqtt broker = EmbeddedMqtt.start();
        MqttBridge bridge =
                MqttBridge.start(
                        new MqttBridge.Settings(
                                broker.endpoint(),
                                MqttTopics.defaults(),
                                "dflink-demo-bridge",
                                config.kafkaCommon(),
                                config.topicPrefix()),
                        Duration.ofSeconds(30));
        MqttFleet fleet =
                MqttFleet.start(
                        broker.endpoint(),
                        MqttTopics.defaults(),
                        devices,
                        UpdateFormat.BINARY,
                        config.vectorEncoding());
        out.printf(
                "devices on MQTT (%s, binary updates), bridged to Kafka%n",
                broker.endpoint().url());
        return () -> {
            fleet.close();
            bridge.close();
            broker.close();
        };
    }

    private JobConfig jobConfig(String bootstrap) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers", bootstrap,
                                "--job-name", "dflink-demo",
                                "--parallelism", String.valueOf(settings.parallelism()),
                                "--consensus-steps", String.valueOf(settings.consensusSteps()),
                                "--clients-per-server", String.valueOf(settings.clientsPerServer()),
                                "--rounds", String.valueOf(settings.rounds()),
                                "--server-metrics", serverMetrics.name()));
        if (settings.fda() != FdaOptions.FdaChoice.NONE) {
            args.addAll(
                    List.of(
                            "--fda", settings.fda().name(),
                            "--fda-local-steps", String.valueOf(settings.localSteps()),
                            "--fda-threshold", String.valueOf(settings.fdaThreshold())));
        }
        return JobOptions.parse(args.toArray(String[]::new)).toConfig();
    }

    /** The models of every round, and the seconds from the initial models to the last ones. */
    private record Followed(List<Map<String, double[]>> byRound, double roundSeconds) {}

    /** Waits for each round's models from all servers, printing progress. */
    private Followed follow(RunObserver observer, List<String> servers, long start)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long firstRoundAt = 0;
        List<Map<String, double[]>> byRound = new ArrayList<>();
        while (byRound.size() <= settings.rounds()) {
            long reached = observer.roundReachedByAll(servers);
            while (byRound.size() <= reached && byRound.size() <= settings.rounds()) {
                Map<String, double[]> models = observer.modelsAt(byRound.size());
                byRound.add(models);
                firstRoundAt = byRound.size() == 1 ? System.nanoTime() : firstRoundAt;
                progress(byRound.size() - 1, models, start);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the run did not reach round "
                                + settings.rounds()
                                + " within "
                                + timeout
                                + "; it reached "
                                + reached);
            }
            Thread.sleep(20);
        }
        return new Followed(byRound, (System.nanoTime() - firstRoundAt) / 1e9);
    }

    private void progress(long round, Map<String, double[]> models, long start) {
        double worst = 0;
        double[] mean = Vec.mean(models.values(), 2);
        double spread = 0;
        for (double[] w : models.values()) {
            worst = Math.max(worst, Vec.distance(w, ScalarRegressionScenario.TRUE_MODEL));
            spread = Math.max(spread, Vec.distance(w, mean));
        }
        double secs = (System.nanoTime() - start) / 1e9;
        out.printf(
                "round %3d/%d  max |w - w*| %.5f  consensus error %.2e  %6.1f s%n",
                round, settings.rounds(), worst, spread, secs);
    }

    private static Map<String, Long> countByReason(List<DeadLetter> letters) {
        Map<String, Long> counts = new TreeMap<>();
        for (DeadLetter d : letters) {
            counts.merge(d.reasonCode, 1L, Long::sum);
        }
        return counts;
    }
}
