package dev.sluice.app;

import dev.sluice.proxy.AccessLog;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/** Opens the access log that {@link Observability} asks for. */
final class AccessLogs {

    private AccessLogs() {
    }

    /**
     * The log, or {@code null} when it is off (neither DEBUG nor a {@code log} line of the configuration,
     * {@code configured}). Lines go to LOG_FILE (appended) or {@code out}.
     */
    static AccessLog open(Observability o, boolean configured, PrintStream out) throws IOException {
        if (!o.accessLog() && !configured) {
            return null;
        }
        OutputStream target = o.logFile() == null ? new NonClosing(out) : new FileOutputStream(o.logFile().toFile(), true);
        return AccessLog.start(o.logFormat(), target);
    }

    /** Standard output stays open when the log closes. */
    private static final class NonClosing extends OutputStream {
        private final PrintStream out;

        NonClosing(PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            out.write(b, off, len);
        }

        @Override
        public void flush() {
            out.flush();
        }
    }
}
