package io.dflink.settings;

/**
 * Range checks for settings, each throwing an {@link InvalidSettingException} that names the
 * setting, the value and what is allowed. Used by every typed configuration of dflink, so that the
 * command line can report any of them as a usage error on the option the value came from.
 */
public final class Require {

    private Require() {}

    /** Throws unless {@code ok}: {@code setting} = {@code value} is not {@code allowed}. */
    public static void that(boolean ok, String setting, Object value, String allowed) {
        if (!ok) {
            throw new InvalidSettingException(setting, value, allowed);
        }
    }

    public static int atLeast(String setting, int value, int min) {
        that(value >= min, setting, value, "must be >= " + min);
        return value;
    }

    public static long atLeast(String setting, long value, long min) {
        that(value >= min, setting, value, "must be >= " + min);
        return value;
    }

    /** A finite number > 0. */
    public static double positive(String setting, double value) {
        that(value > 0 && Double.isFinite(value), setting, value, "must be a finite number > 0");
        return value;
    }

    /** A finite number >= 0. */
    public static double nonNegative(String setting, double value) {
        that(value >= 0 && Double.isFinite(value), setting, value, "must be a finite number >= 0");
        return value;
    }

    /** A value that must be given. */
    public static <T> T present(String setting, T value) {
        if (value == null) {
            throw new InvalidSettingException(setting, null, "must be set");
        }
        return value;
    }
}
