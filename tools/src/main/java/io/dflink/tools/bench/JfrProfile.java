package io.dflink.tools.bench;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CPU profile of this JVM over a stretch of a benchmark, by JDK Flight Recorder's execution
 * samples (every 10 ms per running thread): the frames that hold the most samples on top of the
 * stack. The recording is kept as a {@code .jfr} file for JDK Mission Control.
 */
final class JfrProfile {

    /** A method and its share of all samples taken with it on top of the stack. */
    record Hot(String frame, double share) {}

    private final Recording recording;

    private JfrProfile(Recording recording) {
        this.recording = recording;
    }

    static JfrProfile start() {
        Recording r = new Recording();
        r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        r.start();
        return new JfrProfile(r);
    }

    /** Stops, writes the recording to {@code file} and returns its {@code top} hottest frames. */
    List<Hot> stop(Path file, int top) throws IOException {
        recording.stop();
        recording.dump(file);
        recording.close();
        Map<String, Integer> self = new HashMap<>();
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            RecordedStackTrace stack = e.getStackTrace();
            if (!"jdk.ExecutionSample".equals(e.getEventType().getName())
                    || stack == null
                    || stack.getFrames().isEmpty()) {
                continue;
            }
            RecordedFrame f = stack.getFrames().get(0);
            self.merge(
                    f.getMethod().getType().getName() + "." + f.getMethod().getName(),
                    1,
                    Integer::sum);
            total++;
        }
        List<Hot> hot = new ArrayList<>();
        int n = Math.max(total, 1);
        self.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(en -> hot.add(new Hot(en.getKey(), en.getValue() / (double) n)));
        return hot;
    }
}
