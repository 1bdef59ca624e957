package dev.sluice.routing.config;

import java.util.Arrays;

/** {@code errorfile CODE FILE}: the file's bytes, read at parse time; {@code path} is absolute. */
public record ErrorFileConfig(int status, String path, byte[] content) {

    public ErrorFileConfig {
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorFileConfig e && e.status == status && e.path.equals(path)
               && Arrays.equals(e.content, content);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * status + path.hashCode()) + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "ErrorFileConfig[" + status + ", " + path + ", " + content.length + " bytes]";
    }
}
