package io.dflink.tools.cli;

import io.dflink.jobs.KafkaOptions;
import io.dflink.kafka.TopicAdmin;
import io.dflink.kafka.TopicSpec;
import io.dflink.kafka.Topics;
import io.dflink.settings.Require;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code dflink topics}: creates dflink's topics from topics.yaml, idempotently. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description =
                "Creates every dflink topic that does not exist yet (from kafka-config's topics.yaml).")
public final class TopicsCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka = new KafkaOptions();

    @Option(
            names = "--replication-factor",
            description = "Replication factor of new topics (default: ${DEFAULT-VALUE}).")
    short replicationFactor = 1;

    @Override
    public Integer call() {
        Require.atLeast("replication-factor", replicationFactor, 1);
        List<String> created =
                TopicAdmin.createMissing(kafka.connect(), kafka.topicPrefix(), replicationFactor);
        for (TopicSpec spec : Topics.all()) {
            String name = spec.under(kafka.topicPrefix());
            System.out.printf("%-32s %s%n", name, created.contains(name) ? "created" : "exists");
        }
        return 0;
    }
}
