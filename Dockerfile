# Sluice's image: the runnable jar built from this tree with the README's build command, run on a
# JRE by an unprivileged user that can still bind ports 80 and 443.
#
#   docker build -t sluice .
#
# "Run on Swarm" in the README deploys it (docker-stack.yml). app/src/test/.../SwarmFilesTest
# checks this file against the README and the code.

# ---- build ------------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src

# The poms first, so the dependencies are downloaded in a layer that only a pom change invalidates.
# go-offline has to leave out this build's own modules (nothing has built them yet: the plain goal
# fails on the first module that depends on another). The plugin's version is pinned: the default
# one of older Mavens (2.8) resolves them anyway, and 3.8.1 fails on a Netty classifier that only
# os-maven-plugin defines; 3.9.0 fetches nearly all that `package` needs.
COPY pom.xml ./
COPY routing/pom.xml routing/
COPY tls/pom.xml tls/
COPY proxy-core/pom.xml proxy-core/
COPY health/pom.xml health/
COPY discovery/pom.xml discovery/
COPY admin-api/pom.xml admin-api/
COPY app/pom.xml app/
COPY benchmarks/pom.xml benchmarks/
RUN mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.9.0:go-offline -DexcludeGroupIds=dev.sluice

# Then the sources (app embeds conf/ in the jar), and the README's build command.
COPY conf conf
COPY routing/src routing/src
COPY tls/src tls/src
COPY proxy-core/src proxy-core/src
COPY health/src health/src
COPY discovery/src discovery/src
COPY admin-api/src admin-api/src
COPY app/src app/src
COPY benchmarks/src benchmarks/src
RUN mvn -B -DskipTests package

# ---- run --------------------------------------------------------------------------------------
# Sluice is built for Java 17 and runs on newer JREs; 25 is the current LTS.
FROM eclipse-temurin:25-jre-noble

# curl: the HEALTHCHECK below. libcap2-bin: setcap.
#
# java gets CAP_NET_BIND_SERVICE as a file capability, so the user 10001 binds 80 and 443. (Docker
# 20.10 and later also let every user of a container bind them, through the sysctl
# net.ipv4.ip_unprivileged_port_start=0; the capability covers engines and runtimes that do not.)
# With `--cap-drop ALL`, add NET_BIND_SERVICE back, or the kernel refuses to start java.
#
# A binary with file capabilities runs in secure-execution mode, where the dynamic loader ignores
# $ORIGIN and LD_LIBRARY_PATH: java would no longer find its own lib/libjli.so ("error while loading
# shared libraries: libjli.so: cannot open shared object file"). The JRE's lib directory therefore
# goes into the loader's cache (ld.so.conf.d + ldconfig), which secure-execution mode does use.
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends curl libcap2-bin; \
    rm -rf /var/lib/apt/lists/*; \
    setcap cap_net_bind_service=+ep "$JAVA_HOME/bin/java"; \
    echo "$JAVA_HOME/lib" > /etc/ld.so.conf.d/sluice-java.conf; \
    ldconfig; \
    groupadd --system --gid 10001 sluice; \
    useradd --system --uid 10001 --gid sluice --no-create-home --home-dir /var/lib/sluice \
        --shell /usr/sbin/nologin sluice; \
    mkdir -p /opt/sluice /var/lib/sluice /certs; \
    chown sluice:sluice /var/lib/sluice /certs

COPY --from=build /src/app/target/sluice.jar /opt/sluice/sluice.jar
WORKDIR /opt/sluice
USER 10001:10001
# Fails the build if java does not start under its capability (the libjli.so problem above).
RUN java -version

# Acknowledged services (services.json) and certificates: the user's own directories. A named
# volume mounted there starts with this ownership, so the user can write it.
ENV STATE_DIR=/var/lib/sluice \
    CERTS_DIR=/certs
VOLUME ["/var/lib/sluice", "/certs"]

# DEFAULT_PORTS (80, 443 with TLS) and ADMIN_PORT.
EXPOSE 80 443 8080

# The admin API's ping, on ADMIN_PORT when the container sets it. It asks 127.0.0.1: with ADMIN_BIND
# set to another address, or the port given as --admin-port, override the health check.
# --noproxy: an HTTP_PROXY given to the container must not carry the check elsewhere.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS --noproxy '*' -o /dev/null "http://127.0.0.1:${ADMIN_PORT:-8080}/v1/docker-flow-proxy/ping" || exit 1

# JVM flags for a proxy:
#   -XX:MaxRAMPercentage=40      the heap may take 40 % of the container's memory limit (of the
#                                node's memory when there is no limit). Netty's direct buffers may
#                                take as much again (the JVM's direct-memory limit defaults to the
#                                heap's), and metaspace, thread stacks, JIT code and BoringSSL need
#                                the rest, so the process stays under the limit.
#   -XX:+UseParallelGC           a proxy's garbage dies young: young collections of 0.5-0.9 ms every
#                                second or so, nothing running beside the event loops in between.
#                                Measured on Java 25, one core, fixed rate at half of HAProxy's
#                                maximum (benchmarks/README.md): p99 2.7 ms with ParallelGC against
#                                10.6 ms with ZGC, whose concurrent cycles (65-70 ms of work every
#                                few seconds) compete with the event loop for the core.
#   -XX:+ExitOnOutOfMemoryError  a JVM that ran out of heap is in an unknown state: exit, and Swarm
#                                starts a fresh task, rather than keep a proxy that half works.
# Not set by default: CONTROL_PRIORITY=idle puts the control plane's writer and discovery threads
# in SCHED_IDLE with chrt (util-linux, part of this base image), so a routing change waits for the
# event loops instead of delaying their requests; on a saturated core a change then takes seconds
# (the admin API, and so this HEALTHCHECK's ping, stays in the normal class). Or -XX:ThreadPriorityPolicy=1
# -XX:JavaPriority1_To_OSPriority=5 -XX:CompilerThreadPriority=5 (all three or none, in
# JAVA_TOOL_OPTIONS) for the control plane and the JIT at nice 5. README.md, "Performance", has
# the figures.
# Change them by overriding the entrypoint (JAVA_TOOL_OPTIONS can add flags, but these come after
# it on the command line and win). Sluice's own options go after `run`: CMD, or a stack's `command`.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=40", "-XX:+UseParallelGC", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/sluice/sluice.jar"]
CMD ["run"]
