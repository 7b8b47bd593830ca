package io.dflink.settings;

/**
 * A setting given a value it may not have. It names the setting by its public name (the long option
 * of the command line without its dashes, e.g. {@code consensus-steps}), the value, and what is
 * allowed, so that a command line can report it as a usage error on that option and an embedding
 * program still gets a readable message.
 */
public final class InvalidSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String setting;
    private final String value;
    private final String allowed;

    /**
     * @param setting the setting's public name, without leading dashes
     * @param value the value it was given; null when it was not given at all
     * @param allowed what it may be, e.g. "must be >= 0" or "is required with --algorithm LORA"
     */
    public InvalidSettingException(String setting, Object value, String allowed) {
        super(value == null ? setting + " " + allowed : setting + " = " + value + ": " + allowed);
        this.setting = setting;
        this.value = value == null ? null : String.valueOf(value);
        this.allowed = allowed;
    }

    /** The setting's public name, e.g. {@code consensus-steps}. */
    public String setting() {
        return setting;
    }

    /** The value as given, or null when the setting was missing. */
    public String value() {
        return value;
    }

    /** What the setting may be. */
    public String allowed() {
        return allowed;
    }
}
