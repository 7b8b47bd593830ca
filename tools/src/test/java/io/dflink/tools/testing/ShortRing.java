package io.dflink.tools.testing;

import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobOptions;
import io.dflink.serde.VectorEncoding;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.fleet.ScalarRegressionScenario;

/**
 * A short DFL run on a ring that tests watch rather than check for numbers: parallelism 2, three
 * SDK devices per server on the paper's regression task, five consensus steps per round.
 */
public final class ShortRing {

    public static final int CLIENTS = 3;

    private ShortRing() {}

    /** The job's configuration for {@code rounds} rounds under {@code prefix}. */
    public static JobConfig config(String bootstrapServers, String prefix, int rounds) {
        return JobOptions.parse(
                        "--bootstrap-servers",
                        bootstrapServers,
                        "--topic-prefix",
                        prefix,
                        "--parallelism",
                        "2",
                        "--clients-per-server",
                        "" + CLIENTS,
                        "--consensus-steps",
                        "5",
                        "--rounds",
                        "" + rounds)
                .toConfig();
    }

    /** The devices of {@code servers} servers s0..s(n-1), answering every model. */
    public static Fleet fleet(JobConfig config, int servers) {
        return Fleet.start(
                config.kafkaCommon(),
                config.topicPrefix(),
                ScalarRegressionScenario.paperDefaults(7, servers, CLIENTS),
                0.01,
                20,
                VectorEncoding.F64);
    }
}
