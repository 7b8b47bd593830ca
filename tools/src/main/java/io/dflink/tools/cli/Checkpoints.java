package io.dflink.tools.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checkpoints a local run retained: Flink writes {@code <dir>/<job id>/chk-<n>/_metadata} (and
 * savepoints as {@code <dir>/savepoint-…/_metadata}); a checkpoint or savepoint is complete once
 * its {@code _metadata} file exists. The latest is the one whose metadata was written last, across
 * the runs that shared the directory.
 */
final class Checkpoints {

    static final String METADATA = "_metadata";

    private Checkpoints() {}

    /** The local directory a {@code --checkpoint-dir} value names, or empty for a remote one. */
    static Optional<Path> localDirectory(String checkpointDir) {
        if (checkpointDir.startsWith("file:")) {
            return Optional.of(Path.of(URI.create(checkpointDir)));
        }
        return checkpointDir.contains("://")
                ? Optional.empty()
                : Optional.of(Path.of(checkpointDir));
    }

    /** The newest complete checkpoint or savepoint under {@code dir}, or empty. */
    static Optional<Path> latest(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.find(dir, 3, (p, a) -> isMetadata(p))) {
            return files.max(Comparator.comparing(Checkpoints::written)).map(Path::getParent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code dir} holds a complete checkpoint or savepoint. */
    static boolean isComplete(Path dir) {
        return Files.isRegularFile(dir.resolve(METADATA));
    }

    private static boolean isMetadata(Path p) {
        String parent = p.getParent() == null ? "" : p.getParent().getFileName().toString();
        return p.getFileName().toString().equals(METADATA)
                && (parent.startsWith("chk-") || parent.startsWith("savepoint-"));
    }

    private static FileTime written(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0); // vanished meanwhile: never the latest
        }
    }
}
