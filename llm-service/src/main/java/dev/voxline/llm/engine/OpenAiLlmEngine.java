package dev.voxline.llm.engine;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.http.okhttp.OpenAiHttpClientBuilderCustomizer;
import org.springframework.ai.openai.setup.OpenAiSetup;
import reactor.core.publisher.Flux;

/**
 * Any OpenAI-compatible streaming chat-completions server (OpenAI, Ollama, vLLM, llama.cpp server, Groq, Cerebras),
 * through Spring AI's {@link OpenAiChatModel} (on the OpenAI Java SDK and OkHttp), built here rather than by its
 * starter so that no auto-configuration fires in the other services' contexts of the one-JVM launcher. Stream usage
 * is on, so the last chunk carries the server's token counts. The SDK reads the stream on its own threads (never
 * Netty's event loop or a Kafka poll thread).
 *
 * <p>Cancelling the {@link Flux} cancels the request's OkHttp call first, which closes the connection at once:
 * Spring AI's own cancel only closes the SDK's stream, and that waits for the SDK's reading thread, which stays
 * blocked until the server sends more or the request timeout passes (measured: the whole 30 s). A refused request
 * (an {@code {"error":…}} body, no retries by default) or a stream broken off is an error of that turn, with the
 * server's message. {@link #close()} stops the clients' threads.
 */
public final class OpenAiLlmEngine implements LlmEngine, AutoCloseable {

    public static final String NAME = "openai";

    /** Header that tags a request with its stream's id; removed before the request leaves. */
    static final String STREAM_HEADER = "X-Voxline-Stream";

    static final String OPENAI_BASE_URL = "https://api.openai.com/v1";

    private final OpenAiChatModel model;
    private final OpenAIClientAsync asyncClient;
    private final OpenAIClient syncClient;
    private final OpenAiChatOptions options;
    /** The HTTP call of each stream under way, by stream id. */
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    /** Streams cancelled before their call was known. */
    private final Set<String> cancelledEarly = ConcurrentHashMap.newKeySet();
    private final String description;
    private final String modelName;
    private final String provider;

    public OpenAiLlmEngine(OpenAiSettings settings) {
        if (!settings.configured()) {
            throw new IllegalStateException("the openai engine needs a model: set VOXLINE_LLM_MODEL (and "
                    + "VOXLINE_LLM_BASE_URL for a server other than OpenAI's, VOXLINE_LLM_API_KEY if it needs one)");
        }
        OpenAiChatOptions.Builder options = OpenAiChatOptions.builder()
                .model(settings.model())
                // blank: Spring AI's no-auth mode (no Authorization header), never a key read from elsewhere
                .apiKey(settings.apiKey() == null ? "" : settings.apiKey().strip())
                .timeout(Duration.ofSeconds(Math.max(1, settings.timeoutSeconds())))
                .maxRetries(Math.max(0, settings.maxRetries()));
        // No streamOptions: Spring AI then sends exactly stream_options {"include_usage": true} (streamUsage(true)
        // would add "include_obfuscation": false, a field servers other than OpenAI's need not know).
        String baseUrl = settings.baseUrl() != null && !settings.baseUrl().isBlank() ? settings.baseUrl().strip()
                : OPENAI_BASE_URL;
        options.baseUrl(baseUrl);
        if (settings.maxTokens() > 0) {
            options.maxTokens(settings.maxTokens());
        }
        this.options = options.build();
        // The clients are built here (as Spring AI's builder would) so that close() can stop their threads, with an
        // interceptor that tracks each request's call (see the class comment).
        List<OpenAiHttpClientBuilderCustomizer> customizers = List.of(builder -> builder.interceptor(this::track));
        String apiKey = this.options.getApiKey();
        this.asyncClient = OpenAiSetup.setupAsyncClient(baseUrl, apiKey, null, null, null, null, false, false,
                settings.model(), this.options.getTimeout(), this.options.getMaxRetries(), null, null,
                ObservationRegistry.NOOP, null, customizers);
        this.syncClient = OpenAiSetup.setupSyncClient(baseUrl, apiKey, null, null, null, null, false, false,
                settings.model(), this.options.getTimeout(), this.options.getMaxRetries(), null, null,
                ObservationRegistry.NOOP, null, customizers);
        this.model = OpenAiChatModel.builder().options(this.options).openAiClient(syncClient)
                .openAiClientAsync(asyncClient).build();
        this.description = settings.model() + " at " + baseUrl;
        this.modelName = settings.model().strip();
        this.provider = host(baseUrl);
    }

    /** Stops the HTTP clients' threads (OkHttp's dispatcher, the SDK's stream readers) and their connections. */
    @Override
    public void close() {
        asyncClient.close();
        syncClient.close();
    }

    /**
     * Takes the SDK's one-time costs (class loading and its JSON mapper's set-up, seconds on a small machine) off
     * the first turn, without a request: a request body is written and a streamed chunk read, locally.
     */
    @Override
    public void warmUp() {
        try {
            var mapper = com.openai.core.ObjectMappers.jsonMapper();
            var params = com.openai.models.chat.completions.ChatCompletionCreateParams.builder().model("warm-up")
                    .addSystemMessage("Be brief.").addUserMessage("Hello.")
                    .streamOptions(com.openai.models.chat.completions.ChatCompletionStreamOptions.builder()
                            .includeUsage(true).build())
                    .build();
            mapper.writeValueAsString(params._body());
            mapper.readValue(WARM_UP_CHUNK, com.openai.models.chat.completions.ChatCompletionChunk.class)
                    .validate();
            chunks(new ChatResponse(List.of(new Generation(new AssistantMessage("Hello.")))));
        } catch (Exception | LinkageError e) {
            // only a head start: the first turn pays the cost instead
        }
    }

    private static final String WARM_UP_CHUNK = "{\"id\":\"chatcmpl-0\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
            + "\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":{\"prompt_tokens\":1,"
            + "\"completion_tokens\":1,\"total_tokens\":2}}";

    @Override
    public String name() {
        return NAME;
    }

    /** The model server's host: bounded by configuration, unlike the full URL it stays readable as a metric tag. */
    @Override
    public String provider() {
        return provider;
    }

    @Override
    public String model() {
        return modelName;
    }

    static String host(String baseUrl) {
        try {
            String host = java.net.URI.create(baseUrl).getHost();
            return host != null ? host : baseUrl;
        } catch (IllegalArgumentException e) {
            return baseUrl;
        }
    }

    /** The model and the server, for logs. */
    public String description() {
        return description;
    }

    @Override
    public Flux<LlmChunk> stream(ChatRequest request, LlmSettings settings) {
        return Flux.defer(() -> {
                    String id = UUID.randomUUID().toString();
                    Map<String, String> headers = new HashMap<>();
                    if (options.getCustomHeaders() != null) {
                        headers.putAll(options.getCustomHeaders());
                    }
                    headers.put(STREAM_HEADER, id);
                    Prompt prompt = new Prompt(messages(request), options.mutate().customHeaders(headers).build());
                    return model.stream(prompt)
                            // before Spring AI's own cancel, which closes the response and waits for its reader
                            .doOnCancel(() -> cancelCall(id))
                            .doFinally(signal -> forget(id));
                })
                .concatMapIterable(OpenAiLlmEngine::chunks)
                .onErrorMap(error -> !(error instanceof LlmProviderException),
                        error -> new LlmProviderException("model server (" + description + "): "
                                + redacted(message(error), options.getApiKey()), error));
    }

    /** OkHttp interceptor: remembers the call of a tagged request, and strips the tag. */
    private Response track(Interceptor.Chain chain) throws IOException {
        Request request = chain.request();
        String id = request.header(STREAM_HEADER);
        if (id == null) {
            return chain.proceed(request);
        }
        calls.put(id, chain.call());
        if (cancelledEarly.remove(id)) {
            chain.call().cancel();
        }
        return chain.proceed(request.newBuilder().removeHeader(STREAM_HEADER).build());
    }

    private void cancelCall(String id) {
        Call call = calls.remove(id);
        if (call != null) {
            call.cancel(); // closes the connection now; the reading thread gets an IOException
        } else {
            cancelledEarly.add(id);
        }
    }

    private void forget(String id) {
        calls.remove(id);
        cancelledEarly.remove(id);
    }

    /** Streams whose HTTP call is still tracked (tests). */
    int tracked() {
        return calls.size() + cancelledEarly.size();
    }

    static List<Message> messages(ChatRequest request) {
        List<Message> messages = new ArrayList<>(request.messages().size());
        for (ChatRequest.Message message : request.messages()) {
            String content = message.content() == null ? "" : message.content();
            if (ChatRequest.SYSTEM.equals(message.role())) {
                messages.add(new SystemMessage(content));
            } else if (ChatRequest.ASSISTANT.equals(message.role())) {
                messages.add(new AssistantMessage(content));
            } else {
                messages.add(new UserMessage(content));
            }
        }
        return messages;
    }

    /** A streamed response: its text (if any), then its usage (if the server reported some in it). */
    static List<LlmChunk> chunks(ChatResponse response) {
        List<LlmChunk> chunks = new ArrayList<>(2);
        StringBuilder text = new StringBuilder();
        for (Generation generation : response.getResults()) {
            if (generation.getOutput() != null && generation.getOutput().getText() != null) {
                text.append(generation.getOutput().getText());
            }
        }
        if (!text.isEmpty()) {
            chunks.add(LlmChunk.text(text.toString()));
        }
        ChatResponseMetadata metadata = response.getMetadata();
        Usage usage = metadata != null ? metadata.getUsage() : null;
        // Spring AI gives every chunk a usage; only the server's report (the last chunk) counts any tokens.
        if (usage != null && usage.getNativeUsage() != null
                && orZero(usage.getPromptTokens()) + orZero(usage.getCompletionTokens()) > 0) {
            chunks.add(LlmChunk.usage(orZero(usage.getPromptTokens()), orZero(usage.getCompletionTokens())));
        }
        return chunks;
    }

    private static int orZero(Integer value) {
        return value != null ? value : 0;
    }

    /**
     * {@code text} with every occurrence of the API key replaced by {@code ***}: a server that echoes the key it was
     * sent (in a 401's message, say) must not put it in an error event, a log line or a trace.
     */
    static String redacted(String text, String apiKey) {
        if (text == null || apiKey == null || apiKey.isBlank()) {
            return text;
        }
        return text.replace(apiKey.strip(), "***");
    }

    /** The failure, without the future's wrapper, with the causes that say more ("Stream failed: unexpected end"). */
    static String message(Throwable error) {
        Throwable root = error;
        while ((root instanceof java.util.concurrent.CompletionException
                || root instanceof java.util.concurrent.ExecutionException) && root.getCause() != null) {
            root = root.getCause();
        }
        StringBuilder text = new StringBuilder(root.getClass().getSimpleName());
        String last = null;
        for (Throwable cause = root; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            String message = cause.getMessage();
            if ((message == null || message.isBlank()) && cause != root) {
                message = cause.getClass().getSimpleName();
            }
            if (message != null && !message.isBlank() && (last == null || !last.contains(message))) {
                text.append(": ").append(message);
                last = message;
            }
        }
        return text.toString();
    }

    /** The model server refused the request or broke the stream off. */
    public static final class LlmProviderException extends RuntimeException {
        public LlmProviderException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
