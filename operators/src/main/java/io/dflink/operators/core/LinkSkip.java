package io.dflink.operators.core;

/** An agreement between this server and a neighbour to leave their link out of one round. */
public class LinkSkip {
    public long round;
    public String neighbour;

    public LinkSkip() {}

    public LinkSkip(long round, String neighbour) {
        this.round = round;
        this.neighbour = neighbour;
    }
}
