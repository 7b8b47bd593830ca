package io.dflink.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates dflink's topics from {@link Topics}, idempotently: existing topics are left as they are.
 */
public final class TopicAdmin {

    private TopicAdmin() {}

    /**
     * Creates every topic of {@code topics.yaml} under {@code prefix} that does not exist yet.
     *
     * @return the full names of the topics that were created now
     */
    public static List<String> createMissing(
            Properties adminProperties, String prefix, short replicationFactor) {
        try (Admin admin = Admin.create(adminProperties)) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec spec : Topics.all()) {
                if (!existing.contains(spec.under(prefix))) {
                    missing.add(
                            new NewTopic(spec.under(prefix), spec.partitions(), replicationFactor)
                                    .configs(spec.config()));
                }
            }
            List<String> created = new ArrayList<>();
            for (NewTopic topic : missing) {
                try {
                    admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
                    created.add(topic.name());
                } catch (ExecutionException e) {
                    // another job or tool created it between our listing and now: that is fine
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name(), e);
                    }
                }
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics", e);
        }
    }
}
