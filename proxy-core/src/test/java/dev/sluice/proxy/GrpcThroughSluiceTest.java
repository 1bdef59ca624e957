package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.routing.Bind;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real gRPC client (TLS, ALPN h2) calls a real gRPC server (h2c) through Sluice
 * ({@code server ... proto h2}): unary, server streaming and bidirectional calls, with the status
 * of failed calls, which gRPC sends in trailers.
 */
class GrpcThroughSluiceTest {

    private static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static final MethodDescriptor<String, String> SAY = method("Say", MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<String, String> COUNT =
            method("Count", MethodDescriptor.MethodType.SERVER_STREAMING);
    private static final MethodDescriptor<String, String> CHAT =
            method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Echo", name))
                .setRequestMarshaller(UTF8).setResponseMarshaller(UTF8).build();
    }

    private Server grpc;
    private ProxyServer proxy;
    private SelfSignedCertificate cert;
    private ManagedChannel channel;

    @BeforeEach
    void setUp() throws Exception {
        grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(echoService())
                .build().start();
        cert = new SelfSignedCertificate("grpc.test");
        SslContext tls = TlsFrontend.alpnServerContext(cert);
        String text = "defaults\n mode http\n timeout connect 2s\n timeout client 10s\n timeout server 10s\n"
                + "frontend fe\n default_backend grpc\n"
                + "backend grpc\n server g1 127.0.0.1:" + grpc.getPort() + " proto h2\n";
        ParseResult parsed = ConfigParser.parse(text, "grpc.cfg", Path.of("."));
        assertThat(parsed.errors()).isEmpty();
        ProxyConfig config = parsed.config().withBinds("fe", List.of(new Bind("127.0.0.1", 0, true)));
        proxy = ProxyServer.start(RoutingCompiler.compile(config, null), 1, sni -> tls);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.ports("fe").get(0))
                .sslContext(GrpcSslContexts.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build())
                .overrideAuthority("grpc.test")
                .build();
    }

    @AfterEach
    void tearDown() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        proxy.close();
        grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        cert.delete();
    }

    private static ServerServiceDefinition echoService() {
        return ServerServiceDefinition.builder("test.Echo")
                .addMethod(SAY, ServerCalls.asyncUnaryCall((String name, StreamObserver<String> out) -> {
                    if (name.isEmpty()) {
                        out.onError(Status.INVALID_ARGUMENT.withDescription("a name, please").asRuntimeException());
                        return;
                    }
                    out.onNext("hello " + name);
                    out.onCompleted();
                }))
                .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((String n, StreamObserver<String> out) -> {
                    boolean fail = n.startsWith("-");
                    int count = Integer.parseInt(fail ? n.substring(1) : n);
                    for (int i = 1; i <= count; i++) {
                        out.onNext("#" + i);
                    }
                    if (fail) {
                        out.onError(Status.ABORTED.withDescription("stopped after " + count).asRuntimeException());
                    } else {
                        out.onCompleted();
                    }
                }))
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall((StreamObserver<String> out) ->
                        new StreamObserver<String>() {
                            @Override
                            public void onNext(String value) {
                                out.onNext(value.toUpperCase(Locale.ROOT));
                            }

                            @Override
                            public void onError(Throwable t) {
                            }

                            @Override
                            public void onCompleted() {
                                out.onCompleted();
                            }
                        }))
                .build();
    }

    private static CallOptions options() {
        return CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @Test
    void unaryCall_isAnswered() {
        assertThat(ClientCalls.blockingUnaryCall(channel, SAY, options(), "sluice")).isEqualTo("hello sluice");
        assertThat(ClientCalls.blockingUnaryCall(channel, SAY, options(), "again")).isEqualTo("hello again");
    }

    @Test
    void failedUnaryCall_keepsItsStatusAndMessage() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, SAY, options(), ""))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("a name, please");
                });
        // the connection and the backend are fine after it
        assertThat(ClientCalls.blockingUnaryCall(channel, SAY, options(), "after")).isEqualTo("hello after");
    }

    @Test
    void serverStreamingCall_deliversEveryMessage_andAStatusAfterThem() {
        List<String> got = new ArrayList<>();
        ClientCalls.blockingServerStreamingCall(channel, COUNT, options(), "5").forEachRemaining(got::add);
        assertThat(got).containsExactly("#1", "#2", "#3", "#4", "#5");

        List<String> partial = new ArrayList<>();
        Iterator<String> it = ClientCalls.blockingServerStreamingCall(channel, COUNT, options(), "-2");
        assertThatThrownBy(() -> it.forEachRemaining(partial::add))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("stopped after 2");
                });
        assertThat(partial).containsExactly("#1", "#2");
    }

    @Test
    void bidiStreamingCall_answersEachMessageBeforeTheNextIsSent() throws Exception {
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(channel.newCall(CHAT, options()),
                new StreamObserver<>() {
                    @Override
                    public void onNext(String value) {
                        received.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        received.add(t);
                    }

                    @Override
                    public void onCompleted() {
                        received.add("<done>");
                    }
                });
        // each answer arrives while the request stream is still open: nothing waits for the whole body
        for (String word : List.of("one", "two", "three")) {
            requests.onNext(word);
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(word.toUpperCase(Locale.ROOT));
        }
        requests.onCompleted();
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("<done>");
    }
}
