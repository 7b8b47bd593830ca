package io.dflink.jobs;

import io.dflink.operators.core.admm.VarianceReduction;
import io.dflink.operators.core.fda.FdaVariant;
import io.dflink.operators.core.lora.LoraVariant;
import io.dflink.operators.core.robust.Aggregation;
import io.dflink.operators.core.robust.InfluenceBound;
import io.dflink.operators.core.server.RoundClosing;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.serde.VectorEncoding;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
        assertThat(c.vectorEncoding())
                .as("lossless and the cheapest to parse")
                .isEqualTo(VectorEncoding.F64);
        assertThat(c.bufferTimeoutMillis()).isEqualTo(1);
        assertThat(c.dfl().fda()).as("plain DFL unless --fda").isNull();
        assertThat(c.dfl().encoding()).isEqualTo(VectorEncoding.F64);
    }

    @Test
    void shouldConfigureLtAdmm() {
        JobConfig c =
                JobConfig.fromArgs(
                        "--algorithm",
                        "lt_admm",
                        "--admm-variance",
                        "SAGA",
                        "--admm-tau",
                        "10",
                        "--admm-gamma",
                        "0.05",
                        "--admm-batch-size",
                        "4");
        assertThat(c.dfl().admm().variance()).isEqualTo(VarianceReduction.SAGA);
        assertThat(c.dfl().admm().tau()).isEqualTo(10);
        assertThat(c.dfl().admm().gamma()).isEqualTo(0.05);
        assertThat(c.dfl().exchangeSteps()).as("one z-exchange per round").isEqualTo(1);
        assertThat(JobConfig.fromArgs().dfl().admm()).isNull();
        assertThatThrownBy(() -> JobConfig.fromArgs("--algorithm", "LT_ADMM", "--fda", "LINEAR"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FDA");
        assertThatThrownBy(() -> JobConfig.fromArgs("--algorithm", "LT_ADMM", "--admm-alpha", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alpha");
    }

    @Test
    void shouldConfigureFdaWithAnAbsoluteOrPerDimensionThreshold() {
        JobConfig perDim =
                JobConfig.fromArgs(
                        "--fda",
                        "linear",
                        "--dim",
                        "650",
                        "--fda-local-steps",
                        "100",
                        "--vector-encoding",
                        "F32");
        assertThat(perDim.dfl().fda().variant()).isEqualTo(FdaVariant.LINEAR);
        assertThat(perDim.dfl().fda().threshold())
                .isCloseTo(650 * FdaOptions.DEFAULT_THRESHOLD_PER_DIM, within(1e-12));
        assertThat(perDim.dfl().fda().steps()).isEqualTo(100);
        assertThat(perDim.dfl().encoding())
                .as("accounting uses the job's encoding")
                .isEqualTo(VectorEncoding.F32);
        JobConfig absolute =
                JobConfig.fromArgs(
                        "--fda",
                        "SKETCH",
                        "--fda-threshold",
                        "2.5",
                        "--fda-threshold-per-dim",
                        "9",
                        "--fda-sketch-width",
                        "100",
                        "--fda-sketch-depth",
                        "3",
                        "--fda-seed",
                        "7");
        assertThat(absolute.dfl().fda().threshold()).isEqualTo(2.5);
        assertThat(absolute.dfl().fda().stateValues()).isEqualTo(301);
        assertThat(absolute.dfl().fda().seed()).isEqualTo(7);
        assertThatThrownBy(() -> JobConfig.fromArgs("--fda", "NAIVE", "--fda-threshold", "-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> JobConfig.fromArgs("--fda", "PERIODIC", "--fda-period", "0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("period");
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
    void shouldConfigureDecentralisedLora() {
        JobConfig c =
                JobConfig.fromArgs(
                        "--algorithm",
                        "lora",
                        "--lora-variant",
                        "tad_lora_no_joint",
                        "--lora-interval",
                        "10",
                        "--lora-link-probability",
                        "0.1",
                        "--lora-rank",
                        "4",
                        "--lora-rows",
                        "10",
                        "--lora-cols",
                        "64");
        assertThat(c.dfl().lora().variant()).isEqualTo(LoraVariant.TAD_LORA_NO_JOINT);
        assertThat(c.dfl().lora().interval()).isEqualTo(10);
        assertThat(c.dfl().lora().linkProbability()).isEqualTo(0.1);
        assertThat(c.dfl().dim()).as("the factors' size, not --dim").isEqualTo(4 * (10 + 64));
        assertThat(c.dfl().exchangeSteps()).as("one mixing step per round").isEqualTo(1);
        assertThat(JobConfig.fromArgs().dfl().lora()).isNull();
        assertThatThrownBy(() -> JobConfig.fromArgs("--algorithm", "LORA"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--lora-rows and --lora-cols");
        assertThatThrownBy(
                        () ->
                                JobConfig.fromArgs(
                                        "--algorithm",
                                        "LORA",
                                        "--lora-rows",
                                        "2",
                                        "--lora-cols",
                                        "2",
                                        "--lora-link-probability",
                                        "0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("probability");
        assertThatThrownBy(
                        () ->
                                JobConfig.fromArgs(
                                        "--algorithm",
                                        "LORA",
                                        "--lora-rows",
                                        "2",
                                        "--lora-cols",
                                        "2",
                                        "--fda",
                                        "LINEAR"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LoRA");
    }

    @Test
    void shouldConfigureARobustAggregatorForModelsAndRefuseItForLtAdmm() {
        assertThat(JobConfig.fromArgs().dfl().aggregation()).isEqualTo(new Aggregation.Mean());
        assertThat(
                        JobConfig.fromArgs("--aggregator", "MULTI_KRUM", "--krum-byzantine", "2")
                                .dfl()
                                .aggregation())
                .isEqualTo(new Aggregation.MultiKrum(2, 0));
        assertThat(
                        JobConfig.fromArgs("--aggregator", "trimmed_mean", "--trim-fraction", "0.2")
                                .dfl()
                                .aggregation())
                .isEqualTo(new Aggregation.TrimmedMean(0.2));
        assertThat(JobConfig.fromArgs("--aggregator", "MEDIAN", "--fda", "LINEAR").dfl().fda())
                .isNotNull();
        assertThatThrownBy(
                        () ->
                                JobConfig.fromArgs(
                                        "--aggregator", "MEDIAN", "--algorithm", "LT_ADMM"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aggregator")
                .hasMessageContaining("not to LT-ADMM");
        assertThatThrownBy(
                        () ->
                                JobConfig.fromArgs(
                                        "--aggregator", "TRIMMED_MEAN", "--trim-fraction", "0.5"))
                .hasMessageContaining("trim-fraction");
    }

    @Test
    void shouldBoundInfluenceByDefaultAndTakeTheBoundsAndGossipClipping() {
        assertThat(JobConfig.fromArgs().dfl().bound()).isEqualTo(InfluenceBound.defaults());
        assertThat(JobConfig.fromArgs().dfl().gossipClipRadius()).isZero();
        ServerParams p =
                JobConfig.fromArgs(
                                "--max-weight-ratio",
                                "0",
                                "--max-distance-ratio",
                                "3",
                                "--outlier-action",
                                "REFUSE",
                                "--gossip-clip-radius",
                                "0.5")
                        .dfl();
        assertThat(p.bound()).isEqualTo(new InfluenceBound(0, 3, InfluenceBound.Action.REFUSE));
        assertThat(p.gossipClipRadius()).isEqualTo(0.5);
        assertThatThrownBy(() -> JobConfig.fromArgs("--max-distance-ratio", "0.5"))
                .hasMessageContaining("max-distance-ratio");
        assertThatThrownBy(() -> JobConfig.fromArgs("--gossip-clip-radius", "-1"))
                .hasMessageContaining("gossip-clip-radius");
        assertThatThrownBy(
                        () ->
                                JobConfig.fromArgs(
                                        "--gossip-clip-radius", "1", "--algorithm", "LT_ADMM"))
                .hasMessageContaining("gossip-clip-radius")
                .hasMessageContaining("LT-ADMM");
    }

    @Test
    void shouldRejectValuesOutOfRange() {
        assertThatThrownBy(() -> JobConfig.fromArgs("--consensus-steps", "-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("consensus-steps");
        assertThatThrownBy(() -> JobConfig.fromArgs("--parallelism", "0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parallelism");
        assertThatThrownBy(() -> JobConfig.fromArgs("--no-such-option"))
                .isInstanceOf(CommandLine.ParameterException.class);
    }

    @Test
    void shouldConfigureServerTierFda() {
        JobConfig c =
                JobConfig.fromArgs(
                        "--server-sync",
                        "VARIANCE",
                        "--server-sync-threshold",
                        "0.5",
                        "--server-sync-max-interval",
                        "4");
        assertThat(c.dfl().serverFda().sync())
                .isEqualTo(io.dflink.operators.core.serverfda.ServerSync.VARIANCE);
        assertThat(c.dfl().serverFda().threshold()).isEqualTo(0.5);
        assertThat(c.dfl().serverFda().maxInterval()).isEqualTo(4);
        assertThat(c.dfl().consensusTimeoutMillis())
                .as("the link-skip default does not apply to the flood")
                .isZero();
        assertThat(JobConfig.fromArgs().dfl().serverFda().sync())
                .isEqualTo(io.dflink.operators.core.serverfda.ServerSync.ALWAYS);
        assertThatThrownBy(
                        () ->
                                JobConfig.fromArgs(
                                        "--server-sync", "VARIANCE",
                                        "--consensus-timeout-ms", "1000"))
                .hasMessageContaining("consensus-timeout-ms");
        assertThatThrownBy(() -> JobConfig.fromArgs("--server-sync-threshold", "1"))
                .hasMessageContaining("--server-sync VARIANCE");
        assertThatThrownBy(
                        () ->
                                JobConfig.fromArgs(
                                        "--server-sync", "PERIODIC", "--algorithm", "LT_ADMM"))
                .hasMessageContaining("DFL's gossip");
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
