package dev.sluice.discovery.docker;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where the Docker Engine API listens, as {@code DOCKER_HOST} spells it:
 * {@code unix:///var/run/docker.sock} (the default) or {@code tcp://HOST:PORT} (plain HTTP;
 * TLS to the engine is not supported).
 */
public record DockerHost(String spec, SocketAddress address) {

    public static final String DEFAULT = "unix:///var/run/docker.sock";

    public DockerHost {
        requireNonNull(spec, "spec");
        requireNonNull(address, "address");
    }

    /**
     * Reads a {@code DOCKER_HOST} value.
     *
     * @throws IllegalArgumentException saying what is wrong and what is expected
     */
    public static DockerHost parse(String value) {
        String v = value == null || value.isBlank() ? DEFAULT : value.trim();
        String expected = " (expected: unix:///path/to/docker.sock or tcp://HOST:PORT)";
        if (v.startsWith("unix://")) {
            String path = v.substring("unix://".length());
            if (path.isEmpty() || !path.startsWith("/")) {
                throw new IllegalArgumentException("DOCKER_HOST: " + v + expected);
            }
            return new DockerHost(v, UnixDomainSocketAddress.of(Path.of(path)));
        }
        if (v.startsWith("tcp://") || v.startsWith("http://")) {
            URI uri;
            try {
                uri = URI.create(v.startsWith("tcp://") ? "http://" + v.substring(6) : v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("DOCKER_HOST: " + v + expected, e);
            }
            if (uri.getHost() == null || uri.getPort() < 1) {
                throw new IllegalArgumentException("DOCKER_HOST: " + v + expected);
            }
            return new DockerHost(v, InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort()));
        }
        if (v.startsWith("https://") || v.startsWith("ssh://") || v.startsWith("npipe://")) {
            throw new IllegalArgumentException("DOCKER_HOST: " + v + ": TLS, ssh and named pipes are not supported"
                    + expected);
        }
        throw new IllegalArgumentException("DOCKER_HOST: " + v + expected);
    }

    /** A unix socket whose file is missing cannot be the engine: auto discovery stays off. */
    public boolean socketFileMissing() {
        return address instanceof UnixDomainSocketAddress u && !u.getPath().toFile().exists();
    }

    @Override
    public String toString() {
        return spec;
    }
}
