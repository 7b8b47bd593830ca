package io.dflink.mqtt;

import io.dflink.settings.InvalidSettingException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The MQTT topic layout and broker settings: what is accepted, and why the rest is not. */
class MqttSettingsTest {

    @Test
    void shouldLayOutEveryServersTopicsUnderThePrefix() {
        MqttTopics t = new MqttTopics("fleet/eu");
        assertThat(t.updates("s3")).isEqualTo("fleet/eu/servers/s3/updates");
        assertThat(t.model("s3")).isEqualTo("fleet/eu/servers/s3/model");
        assertThat(t.control("s3")).isEqualTo("fleet/eu/servers/s3/control");
        assertThat(t.allUpdates()).isEqualTo("fleet/eu/servers/+/updates");
        assertThat(t.serverOfUpdates("fleet/eu/servers/s3/updates")).isEqualTo("s3");
        assertThat(t.serverOfUpdates("fleet/eu/servers/s3/model")).isNull();
        assertThat(t.serverOfUpdates("fleet/eu/servers/a/b/updates")).isNull();
        assertThat(t.serverOfUpdates("other/servers/s3/updates")).isNull();
        assertThat(MqttTopics.defaults().updates("s0")).isEqualTo("dflink/servers/s0/updates");
    }

    @Test
    void shouldRefuseServerIdsAndPrefixesThatAreNotTopicLevels() {
        assertThat(MqttTopics.isTopicLevel("s0")).isTrue();
        for (String bad : new String[] {"", "a/b", "a+", "#"}) {
            assertThat(MqttTopics.isTopicLevel(bad)).as("'%s'", bad).isFalse();
        }
        assertThatThrownBy(() -> MqttTopics.defaults().model("a/b"))
                .isInstanceOf(IllegalArgumentException.class);
        for (String bad : new String[] {"", "a/", "/a", "a//b", "a/+", "#"}) {
            assertThatThrownBy(() -> new MqttTopics(bad))
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageContaining("without wildcards");
        }
    }

    @Test
    void shouldReadTheEndpointsUrlAndRefuseWhatCannotWork(@TempDir Path dir) throws Exception {
        MqttEndpoint plain = new MqttEndpoint("tcp://broker.local:1883", null, null, null);
        assertThat(plain.host()).isEqualTo("broker.local");
        assertThat(plain.port()).isEqualTo(1883);
        assertThat(plain.isTls()).isFalse();
        assertThat(new MqttEndpoint("mqtts://b:8883", "u", "p", null).isTls()).isTrue();
        assertThatThrownBy(() -> new MqttEndpoint("http://b:80", null, null, null))
                .hasMessageContaining("tcp://, mqtt://, ssl:// or mqtts://");
        assertThatThrownBy(() -> new MqttEndpoint("tcp://b", null, null, null))
                .hasMessageContaining("must name a port");
        assertThatThrownBy(() -> new MqttEndpoint("tcp://b:1883", null, "secret", null))
                .hasMessageContaining("needs --mqtt-username");
        Path pem = dir.resolve("ca.pem");
        Files.writeString(pem, "not a certificate");
        assertThatThrownBy(() -> new MqttEndpoint("tcp://b:1883", null, null, pem))
                .hasMessageContaining("ssl://");
        assertThatThrownBy(() -> new MqttEndpoint("ssl://b:8883", null, null, pem).client("x"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("PEM");
    }

    @Test
    void shouldReadThePasswordsFirstLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "  s3cret \nignored\n");
        assertThat(MqttEndpoint.readPassword(file)).isEqualTo("s3cret");
        assertThatThrownBy(() -> MqttEndpoint.readPassword(dir.resolve("missing")))
                .isInstanceOf(InvalidSettingException.class);
    }
}
