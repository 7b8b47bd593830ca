package io.dflink.cluster;

import io.dflink.kafka.Topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Docker cannot run on the build machine, so this checks what can be checked without it: that
 * {@code docker/.env}, {@code docker/docker-compose.yml}, {@code docker/Dockerfile}, the root pom's
 * Flink and Kafka versions and kafka-config's {@code topics.yaml} agree with each other.
 */
class DockerFilesTest {

    private static final Path ROOT = Path.of(System.getProperty("dflink.root", ".."));
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+)}");

    private final Map<String, String> env = env();
    private final JsonNode compose = yaml(ROOT.resolve("docker/docker-compose.yml"));

    @Test
    void shouldUseThePomsVersionsForTheImages() throws Exception {
        Document pom =
                DocumentBuilderFactory.newInstance()
                        .newDocumentBuilder()
                        .parse(ROOT.resolve("pom.xml").toFile());
        String flink = pom.getElementsByTagName("flink.version").item(0).getTextContent();
        String kafka = pom.getElementsByTagName("kafka.version").item(0).getTextContent();
        String java = pom.getElementsByTagName("maven.compiler.release").item(0).getTextContent();
        assertThat(env.get("FLINK_VERSION")).isEqualTo(flink);
        assertThat(env.get("KAFKA_VERSION")).isEqualTo(kafka);
        assertThat(env.get("FLINK_IMAGE")).isEqualTo("flink:" + flink + "-java" + java);
        assertThat(env.get("KAFKA_IMAGE")).isEqualTo("apache/kafka:" + kafka);
        assertThat(env.get("BUILD_IMAGE")).contains(":" + java + "-jdk");
        assertThat(env.get("RUNTIME_IMAGE")).contains(":" + java + "-jre");
    }

    @Test
    void shouldTakeEveryVersionAndSettingOfComposeFromTheEnvFile() throws Exception {
        String text = Files.readString(ROOT.resolve("docker/docker-compose.yml"));
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            assertThat(env).as("docker/.env defines ${%s}", m.group(1)).containsKey(m.group(1));
        }
        for (Map.Entry<String, JsonNode> s : services().entrySet()) {
            String image = s.getValue().path("image").asText();
            assertThat(image)
                    .as("service %s: an image from .env or one built here", s.getKey())
                    .matches("\\$\\{[A-Z_]+}|dflink-[a-z]+:local");
        }
        String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
        Matcher arg = Pattern.compile("(?m)^ARG ([A-Z_]+)").matcher(dockerfile);
        JsonNode buildArgs = services().get("jobmanager").path("build").path("args");
        while (arg.find()) {
            assertThat(buildArgs.has(arg.group(1)))
                    .as("compose passes the Dockerfile's ARG %s", arg.group(1))
                    .isTrue();
        }
    }

    @Test
    void shouldBridgeTheMosquittoServiceWithoutLettingItDropQueuedUpdates() throws Exception {
        List<String> bridge = command(services().get("mqtt-bridge"));
        assertThat(bridge.get(0)).isEqualTo("mqtt-bridge");
        assertThat(bridge.get(bridge.indexOf("--mqtt-url") + 1)).isEqualTo("tcp://mosquitto:1883");
        assertThat(services().get("mosquitto").path("volumes").get(0).asText())
                .startsWith("./mosquitto.conf:");
        assertThat(Files.readAllLines(ROOT.resolve("docker/mosquitto.conf")))
                .contains("max_queued_messages 0", "listener 1883");
    }

    @Test
    void shouldLetPrometheusScrapeEveryFlinkProcessAndGrafanaShowTheDashboard() {
        String properties =
                services().get("jobmanager").path("environment").path("FLINK_PROPERTIES").asText();
        assertThat(properties)
                .contains(
                        "metrics.reporter.prom.factory.class:"
                                + " org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        Matcher port = Pattern.compile("metrics.reporter.prom.port: (\\d+)").matcher(properties);
        assertThat(port.find()).isTrue();
        List<String> targets = new ArrayList<>();
        yaml(ROOT.resolve("docker/prometheus.yml"))
                .path("scrape_configs")
                .forEach(
                        c ->
                                c.path("static_configs")
                                        .forEach(
                                                t ->
                                                        t.path("targets")
                                                                .forEach(
                                                                        x ->
                                                                                targets.add(
                                                                                        x
                                                                                                .asText()))));
        List<String> flinkProcesses = new ArrayList<>();
        services()
                .forEach(
                        (name, svc) -> {
                            String command = svc.path("command").asText();
                            if (command.equals("jobmanager") || command.equals("taskmanager")) {
                                flinkProcesses.add(name + ":" + port.group(1));
                            }
                        });
        assertThat(targets).containsExactlyInAnyOrderElementsOf(flinkProcesses);
        List<String> volumes = new ArrayList<>();
        services().get("grafana").path("volumes").forEach(v -> volumes.add(v.asText()));
        assertThat(volumes)
                .contains(
                        "./grafana/provisioning:/etc/grafana/provisioning:ro",
                        "./grafana/dashboards:/var/lib/grafana/dashboards:ro");
        assertThat(ROOT.resolve("docker/grafana/dashboards/dflink.json")).isRegularFile();
        assertThat(
                        yaml(ROOT.resolve("docker/grafana/provisioning/datasources/prometheus.yml"))
                                .path("datasources")
                                .get(0)
                                .path("url")
                                .asText())
                .isEqualTo("http://prometheus:9090");
    }

    @Test
    void shouldLetTheInitServiceCreateTheTopicsOfTopicsYamlAndKafkaNone() {
        JsonNode kafka = services().get("kafka");
        assertThat(kafka.path("environment").path("KAFKA_AUTO_CREATE_TOPICS_ENABLE").asText())
                .isEqualTo("false");
        JsonNode init = services().get("topics-init");
        assertThat(init.path("command").get(0).asText())
                .as("`dflink topics` creates every topic of topics.yaml")
                .isEqualTo("topics");
        assertThat(env.get("TOPIC_PREFIX")).isEqualTo(Topics.DEFAULT_PREFIX);
        // every service that talks to Kafka uses the prefix the topics were created under
        for (String name :
                List.of("topics-init", "job-submit", "topology", "fleet", "mqtt-bridge", "ui")) {
            List<String> command = command(services().get(name));
            int at = command.indexOf("--topic-prefix");
            assertThat(at).as("%s sets --topic-prefix", name).isPositive();
            assertThat(command.get(at + 1)).isEqualTo("${TOPIC_PREFIX}");
            assertThat(command.get(command.indexOf("--bootstrap-servers") + 1))
                    .isEqualTo("kafka:9092");
        }
        Set<String> topics = new HashSet<>();
        Topics.all().forEach(t -> topics.add(t.name()));
        assertThat(topics).containsExactlyInAnyOrder(yamlTopicNames().toArray(String[]::new));
    }

    @Test
    void shouldHoldEnoughSlotsForTheJobInTwoTaskManagersWithAPartitionPerSource() {
        List<String> taskManagers = new ArrayList<>();
        services()
                .forEach(
                        (name, s) -> {
                            if ("taskmanager".equals(s.path("command").asText())) {
                                taskManagers.add(name);
                            }
                        });
        assertThat(taskManagers).hasSize(2);
        String properties =
                services().get("jobmanager").path("environment").path("FLINK_PROPERTIES").asText();
        Matcher slots =
                Pattern.compile("taskmanager.numberOfTaskSlots: (\\d+)").matcher(properties);
        assertThat(slots.find()).isTrue();
        int parallelism = Integer.parseInt(env.get("PARALLELISM"));
        assertThat(taskManagers.size() * Integer.parseInt(slots.group(1)))
                .isGreaterThanOrEqualTo(parallelism);
        List<String> submit = command(services().get("job-submit"));
        assertThat(submit.get(submit.indexOf("--parallelism") + 1)).isEqualTo("${PARALLELISM}");
        // more source subtasks than partitions would sit idle
        assertThat(Topics.CLIENT_UPDATES.partitions()).isGreaterThanOrEqualTo(parallelism);
        assertThat(Topics.CONSENSUS.partitions()).isGreaterThanOrEqualTo(parallelism);
        assertThat(services().get("job-submit").path("command").toString())
                .contains("/opt/flink/usrlib/dflink-job.jar");
    }

    private Map<String, JsonNode> services() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        compose.path("services").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static List<String> command(JsonNode service) {
        List<String> out = new ArrayList<>();
        service.path("command").forEach(c -> out.add(c.asText()));
        return out;
    }

    private static List<String> yamlTopicNames() {
        List<String> names = new ArrayList<>();
        yaml(ROOT.resolve("kafka-config/src/main/resources/topics.yaml"))
                .forEach(t -> names.add(t.get("name").asText()));
        return names;
    }

    /** SnakeYAML resolves Compose's anchors and merge keys ({@code <<: *cli-image}). */
    private static JsonNode yaml(Path file) {
        try {
            Object tree = new org.yaml.snakeyaml.Yaml().load(Files.readString(file));
            return new ObjectMapper().valueToTree(tree);
        } catch (Exception e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    private static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(ROOT.resolve("docker/.env"))) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    int eq = l.indexOf('=');
                    env.put(l.substring(0, eq), l.substring(eq + 1));
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return env;
    }
}
