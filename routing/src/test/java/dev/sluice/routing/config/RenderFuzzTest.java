package dev.sluice.routing.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.HttpAction.Redirect.Kind;
import dev.sluice.routing.Timeouts;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Render round trip over random models whose strings hold every character the tokenizer treats specially. */
class RenderFuzzTest {

    private static final String ALPHABET = "ab/Z09 \t#\"'\\${}!|,;:.-_%x";

    private static String word(Random r) {
        StringBuilder b = new StringBuilder();
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n; i++) {
            b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        String w = b.toString();
        // words a condition parser would read as syntax are not valid values in HAProxy either
        return w.equals("if") || w.equals("unless") || w.isBlank() ? "v" + w.strip() + "v" : w;
    }

    private static String pattern(Random r) {
        String w = word(r);
        return w.equals("}") || w.equals("{") || w.equals("--") ? "p" + w : w;
    }

    private static ActionConfig action(Random r) {
        String value = word(r).replace("%[", "%(");
        return switch (r.nextInt(7)) {
            case 0 -> new ActionConfig.SetHeader("X-" + r.nextInt(9), value);
            case 1 -> new ActionConfig.AddHeader("X-A", value);
            case 2 -> new ActionConfig.Redirect(Kind.values()[r.nextInt(3)], value, 301);
            case 3 -> new ActionConfig.Auth(value);
            case 4 -> new ActionConfig.Return(200, "text/plain", value);
            case 5 -> new ActionConfig.SetPath(value);
            default -> new ActionConfig.DelHeader("X-" + value.replaceAll("[^a-zA-Z0-9]", "q"));
        };
    }

    private static ProxyConfig randomConfig(Random r) {
        List<AclConfig> acls = new ArrayList<>();
        List<ConditionConfig.Term> terms = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> patterns = new ArrayList<>();
            for (int k = 0; k < 1 + r.nextInt(3); k++) {
                patterns.add(pattern(r));
            }
            boolean header = r.nextBoolean();
            AclExpr e = new AclExpr(header ? "hdr" : "path_beg", header ? "x-h" : null, List.of(), r.nextBoolean(),
                    r.nextBoolean() ? null : "sub", patterns);
            acls.add(new AclConfig("a" + i, e));
            terms.add(new ConditionConfig.Term(r.nextBoolean(), "a" + i, null));
        }
        ConditionConfig cond = new ConditionConfig(r.nextBoolean(), List.of(terms.subList(0, 2), terms.subList(2, 3)));
        List<HttpRuleConfig> rules = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rules.add(new HttpRuleConfig(action(r), r.nextBoolean() ? cond : null));
        }
        ProxySettings settings = new ProxySettings(dev.sluice.routing.Mode.HTTP,
                new Timeouts(r.nextInt(100_000), 0, 1, 0, 0, 0, 0, 0),
                new ForwardForConfig(r.nextBoolean() ? "X-Forwarded-For" : "X-Real-IP", null),
                dev.sluice.routing.ConnectionMode.KEEP_ALIVE, 3, false, 0, List.of());
        FrontendConfig f = new FrontendConfig("f", settings, List.of(), acls, rules, List.of(),
                List.of(new UseBackendConfig("b", cond)), "b");
        HttpCheckConfig check = r.nextBoolean() ? null
                : new HttpCheckConfig("GET", "/" + word(r), r.nextBoolean() ? "HTTP/1.1" : "HTTP/1.0");
        BackendConfig b = new BackendConfig("b", settings, BalanceConfig.DEFAULT, List.of(), List.of(), List.of(),
                List.of(), check);
        UserlistConfig u = new UserlistConfig("u", List.of(new UserlistConfig.User("ann", word(r), true, List.of())),
                List.of());
        return new ProxyConfig(GlobalConfig.DEFAULT, List.of(f), List.of(b), List.of(u));
    }

    @Test
    void randomModelsWithSpecialCharacters_roundTrip() {
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            ProxyConfig config = randomConfig(random);
            String rendered = ConfigRenderer.render(config);
            ParseResult parsed = ConfigParser.parse(rendered, "fuzz.cfg", null);
            assertThat(parsed.errors()).as(rendered).isEmpty();
            assertThat(parsed.config()).as(rendered).isEqualTo(config);
        }
    }
}
