package io.dflink.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Grafana cannot run here, so the dashboard ({@code docker/grafana/dashboards/dflink.json}) is
 * checked for what makes Grafana import it and draw every panel: a uid, title and schema version;
 * panels with unique ids, a type and a place on the grid that no other panel covers; every query on
 * the dashboard's Prometheus data source variable, with a refId and a PromQL expression naming a
 * dflink metric. That each of those metrics is really exported, and under that name, is checked
 * against a live scrape by {@code PrometheusITCase} in the tools module.
 */
class GrafanaDashboardTest {

    private static final Path DASHBOARD =
            Path.of(
                    System.getProperty("dflink.root", ".."),
                    "docker/grafana/dashboards/dflink.json");

    private final JsonNode dashboard = read();

    @Test
    void shouldCarryWhatGrafanaNeedsToImportIt() {
        assertThat(dashboard.path("uid").asText()).matches("[a-z0-9-]{1,40}");
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        List<String> variables = new ArrayList<>();
        dashboard
                .path("templating")
                .path("list")
                .forEach(v -> variables.add(v.path("name").asText()));
        assertThat(variables).contains("datasource", "job");
        JsonNode datasource = dashboard.path("templating").path("list").get(0);
        assertThat(datasource.path("type").asText()).isEqualTo("datasource");
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
    }

    @Test
    void shouldPlaceEveryPanelOnItsOwnPartOfTheGrid() {
        Set<Integer> ids = new HashSet<>();
        Set<String> cells = new HashSet<>();
        for (JsonNode p : dashboard.path("panels")) {
            assertThat(ids.add(p.path("id").asInt()))
                    .as("panel id %s is unique", p.path("id"))
                    .isTrue();
            assertThat(p.path("type").asText()).isEqualTo("timeseries");
            assertThat(p.path("title").asText()).isNotBlank();
            JsonNode g = p.path("gridPos");
            assertThat(g.path("x").asInt() + g.path("w").asInt()).isLessThanOrEqualTo(24);
            for (int x = g.path("x").asInt(); x < g.path("x").asInt() + g.path("w").asInt(); x++) {
                for (int y = g.path("y").asInt();
                        y < g.path("y").asInt() + g.path("h").asInt();
                        y++) {
                    assertThat(cells.add(x + "," + y))
                            .as("%s overlaps another panel at %d,%d", p.path("title"), x, y)
                            .isTrue();
                }
            }
        }
        assertThat(ids).hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void shouldQueryDflinksMetricsOnTheDashboardsDataSource() {
        List<String> expressions = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            Set<String> refIds = new HashSet<>();
            for (JsonNode t : p.path("targets")) {
                assertThat(refIds.add(t.path("refId").asText())).isTrue();
                assertThat(t.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                expressions.add(t.path("expr").asText());
            }
            assertThat(refIds).as("%s has queries", p.path("title")).isNotEmpty();
        }
        assertThat(expressions)
                .allSatisfy(
                        e -> {
                            assertThat(e)
                                    .containsPattern(
                                            "flink_taskmanager_job_task_operator_(server|reason)_\\w+");
                            assertThat(e)
                                    .as("balanced: %s", e)
                                    .satisfies(GrafanaDashboardTest::balanced);
                            assertThat(e).contains("job_name=~\"$job\"");
                        });
    }

    private static void balanced(String e) {
        int depth = 0;
        for (char c : e.toCharArray()) {
            depth +=
                    c == '(' || c == '{' || c == '['
                            ? 1
                            : c == ')' || c == '}' || c == ']' ? -1 : 0;
            assertThat(depth).isNotNegative();
        }
        assertThat(depth).isZero();
    }

    private static JsonNode read() {
        try {
            return new ObjectMapper().readTree(DASHBOARD.toFile());
        } catch (Exception e) {
            throw new AssertionError("docker/grafana/dashboards/dflink.json is not valid JSON", e);
        }
    }
}
