package io.dflink.tools.cli;

import io.dflink.kafka.TopicAdmin;
import io.dflink.kafka.Topics;
import io.dflink.settings.Require;
import io.dflink.tools.embedded.EmbeddedKafka;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code dflink broker}: a single-node KRaft Kafka broker on loopback, for trying {@code dflink
 * run}, {@code fleet} and {@code topology} as separate processes without a Kafka installation. Its
 * data lives in a temporary directory and is deleted when it stops (Ctrl-C).
 */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description =
                "Runs a local single-node Kafka broker (KRaft, 127.0.0.1) with dflink's topics until"
                        + " interrupted; its data is deleted when it stops.")
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--port", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port = 9092;

    @Option(
            names = "--topic-prefix",
            description = "Create the topics under this prefix (default: ${DEFAULT-VALUE}).")
    String topicPrefix = Topics.DEFAULT_PREFIX;

    @Override
    public Integer call() throws Exception {
        Require.that(port >= 0 && port <= 65535, "port", port, "must be in 0..65535 (0 = any)");
        EmbeddedKafka kafka = EmbeddedKafka.start(port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    kafka.close();
                                    stopped.countDown();
                                }));
        Properties admin = new Properties();
        admin.put("bootstrap.servers", kafka.bootstrapServers());
        TopicAdmin.createMissing(admin, topicPrefix, (short) 1);
        System.out.printf(
                "Kafka broker ready at %s (topics under '%s'); Ctrl-C stops it%n",
                kafka.bootstrapServers(), topicPrefix);
        stopped.await();
        return 0;
    }
}
