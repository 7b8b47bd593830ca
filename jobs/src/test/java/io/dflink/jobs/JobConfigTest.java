package io.dflink.jobs;

import io.dflink.operators.core.RoundClosing;
import io.dflink.serde.VectorEncoding;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The job's configuration: unique keys, valid defaults, range checks, and a README that lists them.
 */
class JobConfigTest {

    @Test
    void shouldHaveValidDefaults() {
        JobConfig c = JobConfig.fromArgs();
        assertThat(c.dfl().consensusSteps()).isEqualTo(25);
        assertThat(c.dfl().closing().clients()).isEqualTo(5);
        assertThat(c.dfl().closing().membership()).isEqualTo(RoundClosing.Membership.COUNT);
        assertThat(c.topicPrefix()).isEqualTo("dflink.");
        assertThat(c.vectorEncoding()).isEqualTo(VectorEncoding.ARRAY);
        assertThat(c.bufferTimeoutMillis()).isEqualTo(1);
    }

    @Test
    void shouldParseEveryOption() {
        JobConfig c =
                JobConfig.fromArgs(
                        "--bootstrap-servers",
                        "k:9093",
                        "--topic-prefix",
                        "x.",
                        "--consensus-steps",
                        "7",
                        "--rounds",
                        "12",
                        "--dim",
                        "64",
                        "--vector-encoding",
                        "F32",
                        "--kafka-property",
                        "security.protocol=SASL_SSL");
        assertThat(c.bootstrapServers()).isEqualTo("k:9093");
        assertThat(c.dfl().lastRound()).isEqualTo(12);
        assertThat(c.dfl().dim()).isEqualTo(64);
        assertThat(c.kafkaCommon().getProperty("security.protocol")).isEqualTo("SASL_SSL");
    }

    @Test
    void shouldRejectValuesOutOfRange() {
        assertThatThrownBy(() -> JobConfig.fromArgs("--consensus-steps", "-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("consensusSteps");
        assertThatThrownBy(() -> JobConfig.fromArgs("--parallelism", "0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parallelism");
        assertThatThrownBy(() -> JobConfig.fromArgs("--no-such-option"))
                .isInstanceOf(CommandLine.ParameterException.class);
    }

    @Test
    void shouldDeclareEachKeyOnceAndDocumentItInTheReadme() throws Exception {
        CommandLine cli = new CommandLine(new JobOptions());
        Set<String> names = new HashSet<>();
        String readme = Files.readString(Path.of("..", "README.md"));
        for (CommandLine.Model.OptionSpec o : cli.getCommandSpec().options()) {
            assertThat(names.add(o.longestName())).as("unique " + o.longestName()).isTrue();
            assertThat(readme)
                    .as("README documents " + o.longestName())
                    .contains("`" + o.longestName() + "`");
        }
    }
}
