package dev.sluice.routing.config;

import dev.sluice.routing.StickyCookie;
import java.util.ArrayList;
import java.util.List;

/** {@code cookie NAME [insert] [indirect] [nocache] [httponly] [secure]} of a backend. */
public record CookieConfig(String name, boolean insert, boolean indirect, boolean nocache, boolean httpOnly,
                           boolean secure) {

    static CookieConfig parse(List<String> w) {
        if (w.size() < 2) {
            throw new ConfigException("'cookie' needs a cookie name");
        }
        boolean insert = false;
        boolean indirect = false;
        boolean nocache = false;
        boolean httpOnly = false;
        boolean secure = false;
        for (String option : w.subList(2, w.size())) {
            switch (option) {
                case "insert" -> insert = true;
                case "indirect" -> indirect = true;
                case "nocache" -> nocache = true;
                case "httponly" -> httpOnly = true;
                case "secure" -> secure = true;
                default -> throw new ConfigException("'cookie': option '" + option + "' is not supported (supported: "
                        + "cookie NAME [insert] [indirect] [nocache] [httponly] [secure])");
            }
        }
        return new CookieConfig(w.get(1), insert, indirect, nocache, httpOnly, secure);
    }

    List<String> words() {
        List<String> out = new ArrayList<>(List.of("cookie", Tokenizer.quote(name)));
        if (insert) {
            out.add("insert");
        }
        if (indirect) {
            out.add("indirect");
        }
        if (nocache) {
            out.add("nocache");
        }
        if (httpOnly) {
            out.add("httponly");
        }
        if (secure) {
            out.add("secure");
        }
        return out;
    }

    public StickyCookie compile() {
        return new StickyCookie(name, insert, indirect, nocache, httpOnly, secure);
    }
}
