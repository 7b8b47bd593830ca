package io.dflink.tools.cli;

import org.apache.logging.log4j.core.config.Configurator;

import java.net.URISyntaxException;
import java.net.URL;

/**
 * The CLI's logging: quiet by default ({@code log4j2.properties}: warnings of our own, framework
 * notes filtered), everything at INFO with {@code --verbose} ({@code log4j2-verbose.properties}).
 */
final class Logging {

    private Logging() {}

    static void verbose() {
        URL config = Logging.class.getClassLoader().getResource("log4j2-verbose.properties");
        if (config == null) {
            return;
        }
        try {
            Configurator.reconfigure(config.toURI());
        } catch (URISyntaxException e) {
            // a resource of our own jar always has a URI
        }
    }
}
