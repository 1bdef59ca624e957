package dev.sluice.app;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.admin.StoredService;
import dev.sluice.admin.StoredServicesJson;
import dev.sluice.discovery.Source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The acknowledged services, kept in {@code STATE_DIR/services.json} so that they survive a crash:
 * a JSON array of {@code {"source": "api", "params": {"serviceName": ["x"], "port": ["8080"], ...}}}
 * in order, one service per line ({@code source} is where the service came from; a file without
 * it reads as {@code api}).
 *
 * <p>{@link #save} replaces the file atomically: it writes {@code services.json.<random>-<n>.tmp} in
 * the same directory, forces it to disk, renames it over {@code services.json} and forces the
 * directory, so after a crash the file holds either the old list or the new one, never a mix.
 * {@link #load} deletes temp files a crash left behind. Not thread-safe: one writer at a time.
 */
final class StateStore {

    static final String FILE = "services.json";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final Set<OpenOption> CREATE_NEW_WRITE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    private static final long LEFTOVER_AGE_MILLIS = 60_000;
    private static final byte[] NEXT_LINE = "\n  ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMA_NEXT_LINE = ",\n  ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_LINE = "\n]\n".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path dir;
    private final Path file;
    /**
     * Names this process's temp files apart from those of another process on the same volume
     * (whose pid may be the same in another container): drawn once, so a save does not pay for a
     * secure random name as {@code Files.createTempFile} does.
     */
    private final String tempPrefix = Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE);
    private long saves;
    /**
     * Read and write for the owner only, as {@code Files.createTempFile} made them: the services'
     * parameters may hold passwords.
     */
    private final FileAttribute<?>[] ownerOnly;
    /** The directory, open while the store is (forced after every rename). */
    private FileChannel dirChannel;
    private Map<Map<String, List<String>>, Line> lines = new IdentityHashMap<>();

    private StateStore(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
        this.ownerOnly = dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))}
                : new FileAttribute<?>[0];
    }

    /**
     * The store in {@code dir}, created if missing.
     *
     * @throws IOException naming the directory when it cannot be created or is not a writable directory
     */
    static StateStore open(Path dir) throws IOException {
        requireNonNull(dir, "dir");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("STATE_DIR " + dir + ": cannot create the directory (" + describe(e) + ")", e);
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("STATE_DIR " + dir + ": not a directory");
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("STATE_DIR " + dir + ": not writable (expected a directory this user can write)");
        }
        return new StateStore(dir);
    }

    Path file() {
        return file;
    }

    /**
     * The services saved last, in order; empty when nothing was saved yet. Deletes temp files
     * left by an interrupted {@link #save}.
     *
     * @throws IOException naming the file and the problem when it cannot be read or does not parse;
     *                     the caller must refuse to start rather than drop acknowledged services
     */
    List<StoredService> load() throws IOException {
        deleteLeftovers();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new IOException(file + ": cannot read (" + describe(e) + ")", e);
        }
        try {
            return StoredServicesJson.read(JSON.readTree(bytes));
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the saved services with {@code services}. On failure the previous file is intact.
     *
     * @throws IOException naming the file when it cannot be written, forced or renamed
     */
    void save(List<StoredService> services) throws IOException {
        requireNonNull(services, "services");
        byte[] bytes = render(services);
        Path temp = null;
        try {
            temp = dir.resolve(FILE + '.' + tempPrefix + '-' + (++saves) + TEMP_SUFFIX);
            try (FileChannel ch = FileChannel.open(temp, CREATE_NEW_WRITE, ownerOnly)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
        } catch (IOException e) {
            throw new IOException(file + ": cannot save the services (" + describe(e) + ")", e);
        } finally {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
        forceDirectory();
    }

    /**
     * The file's text: a JSON array, one service per line. A service's line is made again only
     * when it changed (its parameters are the same map object while it is unchanged): with 100
     * services, writing them all was a fifth of a {@code reconfigure}'s CPU.
     */
    private byte[] render(List<StoredService> services) throws IOException {
        Map<Map<String, List<String>>, Line> next = new IdentityHashMap<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 256 * services.size());
        out.write('[');
        for (int i = 0; i < services.size(); i++) {
            StoredService s = services.get(i);
            Line line = lines.get(s.params());
            if (line == null || line.source() != s.source()) {
                line = new Line(s.source(), JSON.writeValueAsBytes(StoredServicesJson.entry(s)));
            }
            next.put(s.params(), line);
            out.write(i == 0 ? NEXT_LINE : COMMA_NEXT_LINE);
            out.write(line.json());
        }
        out.write(LAST_LINE);
        lines = next;
        return out.toByteArray();
    }

    private record Line(Source source, byte[] json) {
    }

    /** Makes the rename durable; some filesystems and platforms cannot open or force a directory. */
    private void forceDirectory() {
        try {
            if (dirChannel == null) {
                dirChannel = FileChannel.open(dir, StandardOpenOption.READ);
            }
            dirChannel.force(true);
        } catch (IOException e) {
            // not supported here (e.g. Windows); the rename itself is atomic
        }
    }

    private void deleteLeftovers() throws IOException {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, FILE + ".*" + TEMP_SUFFIX)) {
            for (Path temp : temps) {
                // another process on the same volume (the old task of a start-first update) may be
                // writing this one now: only what a crash left behind, a minute or more ago
                if (Files.getLastModifiedTime(temp).toMillis() < System.currentTimeMillis() - LEFTOVER_AGE_MILLIS) {
                    Files.deleteIfExists(temp);
                }
            }
        }
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
