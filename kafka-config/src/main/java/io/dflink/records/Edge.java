package io.dflink.records;

/** An undirected server-to-server link, with an optional explicit mixing weight (NaN if absent). */
public class Edge {
    public String a;
    public String b;
    public double weight = Double.NaN;

    public Edge() {}

    public Edge(String a, String b) {
        this(a, b, Double.NaN);
    }

    public Edge(String a, String b, double weight) {
        this.a = a;
        this.b = b;
        this.weight = weight;
    }

    public boolean hasWeight() {
        return !Double.isNaN(weight);
    }

    /** The same link with its ends in a canonical (sorted) order. */
    public Edge canonical() {
        return a.compareTo(b) <= 0 ? this : new Edge(b, a, weight);
    }

    /** "a|b" with a < b: the identity of the undirected link. */
    public String id() {
        Edge c = canonical();
        return c.a + "|" + c.b;
    }
}
