package dev.sluice.routing.config;

import java.util.ArrayList;
import java.util.List;

/** The text of ACL expressions, conditions and actions, as {@link ConfigRenderer} writes them. */
final class RuleText {

    private RuleText() {
    }

    private static String q(String word) {
        return Tokenizer.quote(word);
    }

    static String expr(AclExpr e) {
        List<String> words = new ArrayList<>();
        words.add(e.sampleText());
        if (e.ignoreCase()) {
            words.add("-i");
        }
        if (e.match() != null) {
            words.add("-m");
            words.add(e.match());
        }
        if (!e.patterns().isEmpty() && e.patterns().get(0).startsWith("-")) {
            words.add("--");
        }
        e.patterns().forEach(p -> words.add(q(p)));
        return String.join(" ", words);
    }

    static String condition(ConditionConfig c) {
        if (c == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(c.unless() ? " unless" : " if");
        for (int g = 0; g < c.groups().size(); g++) {
            if (g > 0) {
                b.append(" ||");
            }
            for (ConditionConfig.Term t : c.groups().get(g)) {
                b.append(' ');
                if (t.negated()) {
                    b.append('!');
                }
                b.append(t.anonymous() != null ? "{ " + expr(t.anonymous()) + " }" : q(t.aclName()));
            }
        }
        return b.toString();
    }

    static String action(ActionConfig a) {
        if (a instanceof ActionConfig.Redirect r) {
            return "redirect " + r.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + q(r.value())
                   + " code " + r.code();
        }
        if (a instanceof ActionConfig.SetHeader s) {
            return "set-header " + q(s.name()) + " " + q(s.value());
        }
        if (a instanceof ActionConfig.AddHeader s) {
            return "add-header " + q(s.name()) + " " + q(s.value());
        }
        if (a instanceof ActionConfig.DelHeader d) {
            return "del-header " + q(d.name());
        }
        if (a instanceof ActionConfig.ReplaceHeader r) {
            return "replace-header " + q(r.name()) + " " + q(r.regex()) + " " + q(r.replacement());
        }
        if (a instanceof ActionConfig.SetPath s) {
            return "set-path " + q(s.path());
        }
        if (a instanceof ActionConfig.ReplacePath r) {
            return "replace-path " + q(r.regex()) + " " + q(r.replacement());
        }
        if (a instanceof ActionConfig.Deny d) {
            return "deny deny_status " + d.status();
        }
        if (a instanceof ActionConfig.Auth au) {
            return "auth realm " + q(au.realm());
        }
        ActionConfig.Return r = (ActionConfig.Return) a;
        return "return status " + r.status()
               + (r.contentType() == null ? "" : " content-type " + q(r.contentType()))
               + (r.body() == null ? "" : " string " + q(r.body()));
    }
}
