package dev.sluice.routing.config;

import dev.sluice.routing.HttpAction;
import java.util.regex.Pattern;

/**
 * The action of an {@code http-request}/{@code http-response} line, as configured (regular
 * expressions kept as text so the model has value equality). {@link #toAction()} compiles it.
 */
public sealed interface ActionConfig {

    HttpAction toAction();

    record Redirect(HttpAction.Redirect.Kind kind, String value, int code) implements ActionConfig {
        public HttpAction toAction() { return new HttpAction.Redirect(kind, value, code); }
    }

    record SetHeader(String name, String value) implements ActionConfig {
        public HttpAction toAction() { return new HttpAction.SetHeader(name, value); }
    }

    record AddHeader(String name, String value) implements ActionConfig {
        public HttpAction toAction() { return new HttpAction.AddHeader(name, value); }
    }

    record DelHeader(String name) implements ActionConfig {
        public HttpAction toAction() { return new HttpAction.DelHeader(name); }
    }

    record ReplaceHeader(String name, String regex, String replacement) implements ActionConfig {
        public HttpAction toAction() {
            return new HttpAction.ReplaceHeader(name, Pattern.compile(regex), replacement);
        }
    }

    record SetPath(String path) implements ActionConfig {
        public HttpAction toAction() { return new HttpAction.SetPath(path); }
    }

    record ReplacePath(String regex, String replacement) implements ActionConfig {
        public HttpAction toAction() {
            return new HttpAction.ReplacePath(Pattern.compile(regex), replacement);
        }
    }

    record Deny(int status) implements ActionConfig {
        public HttpAction toAction() { return new HttpAction.Deny(status); }
    }

    /** {@code realm} may be {@code null}: the proxy name is used, as HAProxy does. */
    record Auth(String realm) implements ActionConfig {
        public HttpAction toAction() { return new HttpAction.Auth(realm); }
    }

    /** {@code contentType} and {@code body} may be {@code null}. */
    record Return(int status, String contentType, String body) implements ActionConfig {
        public HttpAction toAction() { return new HttpAction.Return(status, contentType, body); }
    }
}
