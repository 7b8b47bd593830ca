package io.dflink.tools;

import io.dflink.operators.core.lora.LoraVariant;
import io.dflink.tools.demo.DemoReport;
import io.dflink.tools.demo.DemoResult;
import io.dflink.tools.demo.DemoRunner;
import io.dflink.tools.demo.DemoSettings;
import io.dflink.tools.demo.LoraDemoRunner;
import io.dflink.tools.fleet.LowRankScenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded demo as a user runs it: in-process broker, MiniCluster, ring of 5 servers, fleet of
 * 25 SDK clients, the paper's T_C = 250 and T_S = 25. All servers must end within 0.02 of w* = (5,
 * 2) and within 1e-6 of each other, and the report and plot must be written.
 */
class DemoITCase {

    @Test
    void shouldConvergeWithThePaperDefaultsAndReportIt(@TempDir Path dir) throws Exception {
        DemoSettings settings = DemoSettings.dfl(42, 5, 5, 30, 250, 0.01, 25, 2);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        DemoResult result =
                new DemoRunner(
                                settings,
                                new PrintStream(progress, true, StandardCharsets.UTF_8),
                                Duration.ofMinutes(5))
                        .run();

        assertThat(result.finalModels()).hasSize(5);
        assertThat(result.maxDistance(result.finalModels(), result.trueModel())).isLessThan(0.02);
        assertThat(result.consensusError(result.finalModels())).isLessThan(1e-6);
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("round  30/30");
        assertThat(result.deadLettersByReason()).isEmpty();

        Path report = dir.resolve("report.json");
        DemoReport.writeJson(result, report);
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("rounds").asLong()).isEqualTo(30);
        assertThat(json.get("wallSeconds").asDouble()).isPositive();
        assertThat(json.get("servers").size()).isEqualTo(5);
        assertThat(json.get("servers").get("s0").get("distanceToOptimum").asDouble())
                .isLessThan(0.02);
        assertThat(json.get("servers").get("s0").get("model").size()).isEqualTo(2);
        assertThat(json.get("consensusStepMillis").get("p50").asDouble()).isPositive();
        assertThat(json.get("consensusStepMillis").get("p95").asDouble())
                .isGreaterThanOrEqualTo(json.get("consensusStepMillis").get("p50").asDouble());
        assertThat(json.get("messages").get("consensus").asLong())
                .isEqualTo(30L * 25 * 10); // rounds x steps x directed ring edges
        assertThat(json.get("bytes").get("server-models").asLong()).isPositive();

        Path plot = dir.resolve("plot.png");
        DemoReport.writePlot(result, plot);
        assertThat(ImageIO.read(plot.toFile()).getWidth()).isGreaterThan(100);
    }

    @Test
    void shouldReachTheSameModelsWhenTheDevicesSpeakMqtt() throws Exception {
        DemoSettings settings = DemoSettings.dfl(42, 3, 3, 4, 100, 0.01, 5, 2);
        PrintStream quiet =
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        DemoResult overKafka = new DemoRunner(settings, quiet, Duration.ofMinutes(3)).run();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        DemoResult overMqtt =
                new DemoRunner(
                                settings,
                                new PrintStream(progress, true, StandardCharsets.UTF_8),
                                Duration.ofMinutes(3))
                        .overMqtt()
                        .run();
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("devices on MQTT");
        assertThat(overMqtt.deadLettersByReason()).isEmpty();
        overKafka
                .finalModels()
                .forEach(
                        (server, w) ->
                                assertThat(overMqtt.finalModels().get(server))
                                        .as("%s over MQTT, bit for bit", server)
                                        .containsExactly(w));
    }

    @Test
    void shouldLearnTheLowRankCorrectionThroughKafkaInTheLoraDemo(@TempDir Path dir)
            throws Exception {
        LoraDemoRunner.Settings settings =
                new LoraDemoRunner.Settings(
                        LowRankScenario.defaults(42, 4, 2),
                        new LowRankScenario.Training(16, 20, 0.02),
                        LoraVariant.TAD_LORA,
                        3,
                        0.5,
                        12,
                        2);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        LoraDemoRunner.Result result =
                new LoraDemoRunner(
                                settings,
                                new PrintStream(progress, true, StandardCharsets.UTF_8),
                                Duration.ofMinutes(3))
                        .run();
        assertThat(result.rounds()).hasSize(13);
        assertThat(result.rounds().get(0).meanError()).isEqualTo(1.0);
        assertThat(LoraDemoRunner.finalError(result)).isLessThan(0.25);
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("round  12/12");
        assertThat(result.communication().get("consensus").messages).isPositive();
        Path plot = dir.resolve("lora.png");
        LoraDemoRunner.writePlot(result, plot);
        assertThat(ImageIO.read(plot.toFile()).getWidth()).isGreaterThan(100);
    }
}
