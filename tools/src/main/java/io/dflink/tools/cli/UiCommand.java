package io.dflink.tools.cli;

import io.dflink.jobs.KafkaOptions;
import io.dflink.kafka.Topics;
import io.dflink.settings.Require;
import io.dflink.tools.ui.WebView;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Properties;
import java.util.concurrent.Callable;

/** {@code dflink ui}: the live web view of a running federation, from its topics, read-only. */
@Command(
        name = "ui",
        mixinStandardHelpOptions = true,
        description = {
            "Serves a live web page of a running federation, drawn from the job's topics"
                    + " (topology, server-models, metrics, dead-letter), read-only: it commits"
                    + " nothing and writes nothing.",
            "Shows the topology with the bytes per edge, each server's convergence and consensus"
                    + " error over rounds, FDA's syncs or LoRA's cross term, and the dead letters."
        })
public final class UiCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka = new KafkaOptions();

    @Option(
            names = "--port",
            description = "Port of the page (0 = any free one) (default: ${DEFAULT-VALUE}).")
    int port = 8088;

    @Option(
            names = "--host",
            description =
                    "Address of the page; 0.0.0.0 = every interface (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Mixin DurationOption duration = new DurationOption();

    @Override
    public Integer call() throws Exception {
        duration.check();
        Require.atLeast("port", port, 0);
        Properties common =
                kafka.connect(
                        Topics.TOPOLOGY, Topics.SERVER_MODELS, Topics.METRICS, Topics.DEAD_LETTER);
        try (WebView view = WebView.start(common, kafka.topicPrefix(), host, port)) {
            System.out.printf("web view: %s (Ctrl-C to stop)%n", view.url());
            long end = duration.deadlineMillis();
            while (System.currentTimeMillis() < end) {
                Thread.sleep(Math.min(1000, Math.max(1, end - System.currentTimeMillis())));
            }
        }
        return 0;
    }
}
