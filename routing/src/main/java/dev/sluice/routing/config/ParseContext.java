package dev.sluice.routing.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where messages of one parse are collected, and how files named in the config are found. */
final class ParseContext {

    final String file;
    final Path baseDir;
    final List<ConfigMessage> errors = new ArrayList<>();
    final List<ConfigMessage> warnings = new ArrayList<>();
    /** What {@code ssl} binds start from: the {@code ssl-default-bind-*} lines read so far (HAProxy reads them in order). */
    BindTlsParser.Defaults sslDefaults = BindTlsParser.Defaults.NONE;
    /** The global {@code ca-base} and {@code crt-base}: where relative server {@code ca-file} and {@code crt} are. */
    String caBase;
    String crtBase;

    ParseContext(String file, Path baseDir) {
        this.file = file;
        this.baseDir = baseDir;
    }

    void error(int line, String message) {
        errors.add(new ConfigMessage(file, line, message));
    }

    void warn(int line, String message) {
        warnings.add(new ConfigMessage(file, line, message));
    }

    void ignored(int line, String keyword, String why) {
        warn(line, "'" + keyword + "' is ignored by Sluice (" + why + ")");
    }

    Path resolve(String name) {
        Path p = Path.of(name);
        return (p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p)).toAbsolutePath().normalize();
    }

    /** {@code name} resolved against {@code base} (a global {@code ca-base} or {@code crt-base}) when relative. */
    Path resolve(String base, String name) {
        return base == null || Path.of(name).isAbsolute() ? resolve(name) : resolve(Path.of(base).resolve(name).toString());
    }

    byte[] read(String keyword, String name) {
        Path p = resolve(name);
        try {
            return Files.readAllBytes(p);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("'" + keyword + "': cannot read file '" + p + "' ("
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage())
                    + ")");
        }
    }
}
