package io.dflink.tools.cli;

import io.dflink.jobs.KafkaOptions;
import io.dflink.kafka.Topics;
import io.dflink.operators.core.graph.Graph;
import io.dflink.records.Edge;
import io.dflink.records.TopologyEvent;
import io.dflink.serde.TopologyEventCodec;
import io.dflink.settings.Require;
import io.dflink.tools.fleet.GraphShapes;
import io.dflink.tools.fleet.TopologyPublisher;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dflink topology}: publishes a server graph, a graph file, or one link change. */
@Command(
        name = "topology",
        mixinStandardHelpOptions = true,
        description = {
            "Publishes a topology event to the topology topic.",
            "Examples:",
            "  dflink topology --shape ring --servers 5",
            "  dflink topology --shape random --servers 16 --p 0.2 --seed 7",
            "  dflink topology --file graph.json",
            "  dflink topology --edge s0:s2 --down --effective-round 12"
        })
public final class TopologyCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka = new KafkaOptions();

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--shape", description = "A generated graph: ${COMPLETION-CANDIDATES}.")
        GraphShapes.Shape shape;

        @Option(
                names = "--file",
                description = "A JSON topology event (graph or edge), as in the README.")
        Path file;

        @Option(
                names = "--edge",
                paramLabel = "A:B",
                description = "One link to bring up, or down with --down.")
        String edge;
    }

    @Option(
            names = "--servers",
            description = "Number of servers s0..s(N-1) for --shape (default: ${DEFAULT-VALUE}).")
    int servers = 5;

    @Option(
            names = "--p",
            description = "Link probability for --shape random (default: ${DEFAULT-VALUE}).")
    double p = 0.3;

    @Option(names = "--seed", description = "Seed for --shape random (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(
            names = "--effective-round",
            description = "Round from which the change applies (default: ${DEFAULT-VALUE}).")
    long effectiveRound = 0;

    @Option(
            names = "--down",
            description = "With --edge: take the link down (default: bring it up).")
    boolean down;

    @Override
    public Integer call() throws Exception {
        TopologyEvent event = event();
        TopologyPublisher.publish(kafka.connect(Topics.TOPOLOGY), kafka.topicPrefix(), event);
        System.out.println(
                new String(
                        TopologyEventCodec.encode(event), java.nio.charset.StandardCharsets.UTF_8));
        return 0;
    }

    private TopologyEvent event() throws Exception {
        if (what.file != null) {
            return TopologyEventCodec.decode(Files.readAllBytes(what.file));
        }
        if (what.edge != null) {
            String[] ends = what.edge.split(":");
            Require.that(
                    ends.length == 2 && !ends[0].isBlank() && !ends[1].isBlank(),
                    "edge",
                    what.edge,
                    "must be A:B, two server ids");
            return TopologyEvent.edge(effectiveRound, new Edge(ends[0], ends[1]), !down);
        }
        Require.atLeast("servers", servers, 1);
        Require.that(p > 0 && p <= 1, "p", p, "must be in (0, 1]");
        Require.atLeast("effective-round", effectiveRound, 0);
        List<String> ids = new ArrayList<>();
        for (int s = 0; s < servers; s++) {
            ids.add("s" + s);
        }
        List<Edge> edges = GraphShapes.edges(what.shape, ids, p, seed);
        Require.that(
                Graph.of(ids, edges).isConnected(),
                "p",
                p,
                "gives a graph that is not connected with --seed " + seed + "; raise it");
        return TopologyEvent.graph(effectiveRound, ids, edges);
    }
}
