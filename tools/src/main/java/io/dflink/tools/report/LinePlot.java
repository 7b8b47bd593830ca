package io.dflink.tools.report;

import javax.imageio.ImageIO;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small line chart written to PNG with Java2D (headless), optionally with log10 axes and a lower
 * bound on y (points below it are left out). Series beyond the palette's ten colours are dashed.
 */
public final class LinePlot {

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)
    };
    private static final int W = 900;
    private static final int H = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 190;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private record Series(String name, double[] x, double[] y) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private final boolean logY;
    private final List<Series> series = new ArrayList<>();
    private double yMin = Double.NEGATIVE_INFINITY;

    public LinePlot(String title, String xLabel, String yLabel, boolean logY) {
        this(title, xLabel, yLabel, false, logY);
    }

    public LinePlot(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logX = logX;
        this.logY = logY;
    }

    /** Leaves out points below {@code min}, to show the range that matters. */
    public LinePlot withYMin(double min) {
        this.yMin = min;
        return this;
    }

    public LinePlot add(String name, double[] x, double[] y) {
        series.add(new Series(name, x, y));
        return this;
    }

    public void write(Path file) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        double[] xr = range(true);
        double[] yr = range(false);
        drawAxes(g, xr, yr);
        for (int i = 0; i < series.size(); i++) {
            drawSeries(g, series.get(i), PALETTE[i % PALETTE.length], xr, yr, i);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private double value(double v) {
        return logY ? Math.log10(v) : v;
    }

    private double xValue(double v) {
        return logX ? Math.log10(v) : v;
    }

    private boolean plottable(double x, double y) {
        return Double.isFinite(x)
                && Double.isFinite(y)
                && y >= yMin
                && (!logX || x > 0)
                && (!logY || y > 0);
    }

    private double[] range(boolean isX) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int k = 0; k < s.x.length; k++) {
                if (!plottable(s.x[k], s.y[k])) {
                    continue;
                }
                double v = isX ? xValue(s.x[k]) : value(s.y[k]);
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (!(lo < hi)) {
            lo = Double.isFinite(lo) ? lo - 1 : 0;
            hi = lo + 2;
        }
        if (isX ? logX : logY) {
            lo = Math.floor(lo);
            hi = Math.ceil(hi);
        }
        return new double[] {lo, hi};
    }

    private int px(double x, double[] xr) {
        return LEFT + (int) Math.round((xValue(x) - xr[0]) / (xr[1] - xr[0]) * (W - LEFT - RIGHT));
    }

    private int py(double y, double[] yr) {
        return H
                - BOTTOM
                - (int) Math.round((value(y) - yr[0]) / (yr[1] - yr[0]) * (H - TOP - BOTTOM));
    }

    private void drawAxes(Graphics2D g, double[] xr, double[] yr) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
        g.drawString(xLabel, LEFT + (W - LEFT - RIGHT) / 2 - 30, H - 15);
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(TOP + (H - TOP - BOTTOM) / 2) - 60, 16);
        g.rotate(Math.PI / 2);
        int xTicks = logX ? (int) (xr[1] - xr[0]) : 5;
        for (int k = 0; k <= xTicks; k++) {
            double t = xr[0] + k * (xr[1] - xr[0]) / xTicks;
            int x = LEFT + (int) Math.round((t - xr[0]) / (xr[1] - xr[0]) * (W - LEFT - RIGHT));
            String label = logX ? String.format("1e%.0f", t) : String.format("%.0f", t);
            g.drawString(label, x - 10, H - BOTTOM + 18);
        }
        int ticks = logY ? (int) (yr[1] - yr[0]) : 5;
        for (int k = 0; k <= ticks; k++) {
            double t = yr[0] + k * (yr[1] - yr[0]) / ticks;
            int y =
                    H
                            - BOTTOM
                            - (int) Math.round((t - yr[0]) / (yr[1] - yr[0]) * (H - TOP - BOTTOM));
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT + 1, y, W - RIGHT - 1, y);
            g.setColor(Color.BLACK);
            String label = logY ? String.format("1e%.0f", t) : String.format("%.3g", t);
            g.drawString(label, LEFT - 6 - g.getFontMetrics().stringWidth(label), y + 4);
        }
    }

    private void drawSeries(Graphics2D g, Series s, Color c, double[] xr, double[] yr, int index) {
        g.setColor(c);
        g.setStroke(
                index < PALETTE.length
                        ? new BasicStroke(2f)
                        : new BasicStroke(
                                2f,
                                BasicStroke.CAP_BUTT,
                                BasicStroke.JOIN_MITER,
                                10f,
                                new float[] {6f, 4f},
                                0f));
        int lastX = -1;
        int lastY = -1;
        for (int k = 0; k < s.x.length; k++) {
            if (!plottable(s.x[k], s.y[k])) {
                lastX = -1;
                continue;
            }
            int x = px(s.x[k], xr);
            int y = py(s.y[k], yr);
            if (lastX >= 0) {
                g.drawLine(lastX, lastY, x, y);
            }
            lastX = x;
            lastY = y;
        }
        int ly = TOP + 15 + 20 * index;
        g.drawLine(W - RIGHT + 15, ly - 4, W - RIGHT + 40, ly - 4);
        g.setColor(Color.BLACK);
        g.drawString(s.name, W - RIGHT + 46, ly);
    }
}
