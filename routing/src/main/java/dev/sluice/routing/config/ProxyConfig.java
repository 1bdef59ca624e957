package dev.sluice.routing.config;

import static java.util.Objects.requireNonNull;

import dev.sluice.routing.Bind;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed configuration: an immutable value with value equality. {@code listen} sections appear
 * as a frontend and a backend of the same name.
 */
public record ProxyConfig(GlobalConfig global, List<FrontendConfig> frontends,
                          List<BackendConfig> backends, List<UserlistConfig> userlists,
                          List<ResolversConfig> resolvers) {

    public ProxyConfig {
        requireNonNull(global, "global");
        frontends = List.copyOf(frontends);
        backends = List.copyOf(backends);
        userlists = List.copyOf(userlists);
        resolvers = List.copyOf(resolvers);
    }

    /** Without {@code resolvers} sections. */
    public ProxyConfig(GlobalConfig global, List<FrontendConfig> frontends, List<BackendConfig> backends,
                       List<UserlistConfig> userlists) {
        this(global, frontends, backends, userlists, List.of());
    }

    /** The resolvers section named {@code name}, or {@code null}. */
    public ResolversConfig resolvers(String name) {
        for (ResolversConfig r : resolvers) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    public boolean hasFrontend(String name) {
        return frontend(name) != null;
    }

    /** The frontend named {@code name}, or {@code null}. */
    public FrontendConfig frontend(String name) {
        for (FrontendConfig f : frontends) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** The backend named {@code name}, or {@code null}. */
    public BackendConfig backend(String name) {
        for (BackendConfig b : backends) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        return null;
    }

    /** The userlist named {@code name}, or {@code null}. */
    public UserlistConfig userlist(String name) {
        for (UserlistConfig u : userlists) {
            if (u.name().equals(name)) {
                return u;
            }
        }
        return null;
    }

    /**
     * A copy whose frontend {@code frontendName} listens on {@code binds} instead of its own.
     *
     * @throws IllegalArgumentException if there is no such frontend
     */
    public ProxyConfig withBinds(String frontendName, List<Bind> binds) {
        requireNonNull(frontendName, "frontendName");
        requireNonNull(binds, "binds");
        if (!hasFrontend(frontendName)) {
            throw new IllegalArgumentException("frontend: " + frontendName + " (no such frontend)");
        }
        List<BindConfig> newBinds = binds.stream().map(BindConfig::of).toList();
        return replaceFrontend(frontend(frontendName).withBinds(newBinds));
    }

    /** A copy with {@code frontend} replacing the frontend of the same name. */
    public ProxyConfig replaceFrontend(FrontendConfig frontend) {
        List<FrontendConfig> list = new ArrayList<>(frontends);
        list.replaceAll(f -> f.name().equals(frontend.name()) ? frontend : f);
        return new ProxyConfig(global, list, backends, userlists, resolvers);
    }

    /** A copy with {@code backend} replacing the backend of the same name, or added after the others. */
    public ProxyConfig withBackend(BackendConfig backend) {
        requireNonNull(backend, "backend");
        List<BackendConfig> list = new ArrayList<>(backends);
        boolean replaced = false;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).name().equals(backend.name())) {
                list.set(i, backend);
                replaced = true;
            }
        }
        if (!replaced) {
            list.add(backend);
        }
        return new ProxyConfig(global, frontends, list, userlists, resolvers);
    }

    /** A copy with {@code userlist} replacing the userlist of the same name, or added after the others. */
    public ProxyConfig withUserlist(UserlistConfig userlist) {
        requireNonNull(userlist, "userlist");
        List<UserlistConfig> list = new ArrayList<>(userlists);
        list.removeIf(u -> u.name().equals(userlist.name()));
        list.add(userlist);
        return new ProxyConfig(global, frontends, backends, list, resolvers);
    }
}
