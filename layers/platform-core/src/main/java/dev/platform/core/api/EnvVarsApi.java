package dev.platform.core.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.api.ApiContext.ProjectAccess;
import dev.platform.core.config.Dotenv;
import dev.platform.core.config.DotenvException;
import dev.platform.core.config.EnvScope;
import dev.platform.core.config.EnvVar;
import dev.platform.core.config.EnvVarKey;
import dev.platform.core.config.EnvVarNames;
import dev.platform.core.config.EnvVarStore;
import dev.platform.core.config.EnvVarVersion;
import dev.platform.core.config.EnvelopeCipher;
import dev.platform.core.config.LineError;
import dev.platform.core.config.SealedValue;
import dev.platform.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A project's environment variables: the {@code api-env} routes. Values are sealed ({@link EnvelopeCipher}) under
 * their team, project, scope, name and branch before they are stored; a sensitive value is never shown again, to
 * anyone; every change is a version in the variable's history. A change applies at the next deployment.
 */
public final class EnvVarsApi {
    /** What a read shows for a sensitive value. */
    public static final String MASK = "********";
    /** One import writes at most this many variables: each is a KMS call and a transaction, inside API Gateway's 29 s. */
    public static final int MAX_IMPORT = 200;
    static final String HINT = "applies at the next deployment: redeploy a preview (POST /v1/projects/{projectId}/previews/{pr}"
            + "/redeploy) or push to its branch";
    private static final String LIST = "env";
    private static final String HISTORY = "env-history";

    private enum Outcome { CREATED, UPDATED, UNCHANGED }

    private record Written(Outcome outcome, EnvVar variable) {
    }

    private final ApiContext context;
    private final EnvVarStore store;
    private final EnvelopeCipher cipher;
    private volatile SecretKeySpec hashKey;

    public EnvVarsApi(ApiContext context, EnvVarStore store, EnvelopeCipher cipher) {
        this.context = context;
        this.store = store;
        this.cipher = cipher;
    }

    public ApiResponse handle(ApiRequest request) {
        return switch (request.operation()) {
            case "GET /v1/projects/{projectId}/env" -> list(request);
            case "PUT /v1/projects/{projectId}/env/{scope}/{name}" -> set(request);
            case "DELETE /v1/projects/{projectId}/env/{scope}/{name}" -> delete(request);
            case "GET /v1/projects/{projectId}/env/{scope}/{name}/history" -> history(request);
            case "POST /v1/projects/{projectId}/env/import" -> importDotenv(request);
            case "GET /v1/projects/{projectId}/env/export" -> export(request);
            default -> throw ApiProblem.notFound("route " + request.operation());
        };
    }

    private ApiResponse list(ApiRequest request) {
        EnvScope scope = optionalScope(request.query().get("scope"), "scope");
        ProjectAccess access = context.projectAccess(request, Permission.READ, "env.list", "project:" + request.path("projectId"));
        boolean values = Permissions.allows(access.member().role(), Permission.READ_ENV_VALUES);
        Page<EnvVar> page = store.list(access.project().projectId(), scope, context.after(request, LIST), context.limit(request));
        return ApiResponse.ok(ApiViews.page(page.items(), variable -> view(variable, values ? access.project() : null),
                context.nextCursor(LIST, page)));
    }

    private ApiResponse set(ApiRequest request) {
        EnvScope scope = scope(request.path("scope"), "scope");
        String name = name(request.path("name"));
        String branch = branch(scope, request.query().get("branch"));
        ProjectAccess access = context.projectAccess(request, manage(scope), "env.set", target(scope, name, branch));
        JsonBody body = JsonBody.of(request, Set.of("value", "sensitive"));
        String value = body.string("value").orElseThrow(() -> ApiProblem.invalid("value", "is required"));
        EnvVarNames.valueProblem(value).ifPresent(problem -> {
            throw ApiProblem.invalid("value", problem);
        });
        Optional<Boolean> sensitive = body.bool("sensitive");
        Written written = write(request, access.project(), new EnvVarKey(access.project().projectId(), scope, name, branch),
                value, sensitive);
        ObjectNode answer = view(written.variable(), access.project());
        answer.put("hint", HINT);
        return written.outcome() == Outcome.CREATED ? ApiResponse.created(answer) : ApiResponse.ok(answer);
    }

    private ApiResponse delete(ApiRequest request) {
        EnvScope scope = scope(request.path("scope"), "scope");
        String name = name(request.path("name"));
        String branch = branch(scope, request.query().get("branch"));
        String target = target(scope, name, branch);
        ProjectAccess access = context.projectAccess(request, manage(scope), "env.delete", target);
        EnvVarKey key = new EnvVarKey(access.project().projectId(), scope, name, branch);
        EnvVar current = store.get(key).filter(v -> !v.deleted())
                .orElseThrow(() -> ApiProblem.notFound("variable " + target.substring("env:".length())));
        Caller caller = request.requireCaller();
        Instant now = context.now();
        long version = current.version() + 1;
        try {
            store.write(new EnvVar(key, null, current.sensitive(), version, null, now, caller.userId(), true), current.version(),
                    new EnvVarVersion(key, version, EnvVarVersion.DELETE, current.sensitive(), null, null, now,
                            caller.userId(), caller.tokenId()),
                    context.audit(request, access.project().teamId(), "env.delete", target, "succeeded"));
        } catch (ApiStore.Conflict changed) {
            throw ApiProblem.conflict("conflict", "the variable changed meanwhile; read it again");
        }
        return ApiResponse.noContent();
    }

    private ApiResponse history(ApiRequest request) {
        EnvScope scope = scope(request.path("scope"), "scope");
        String name = name(request.path("name"));
        String branch = branch(scope, request.query().get("branch"));
        ProjectAccess access = context.projectAccess(request, Permission.READ_ENV_VALUES, "env.history",
                target(scope, name, branch));
        EnvVarKey key = new EnvVarKey(access.project().projectId(), scope, name, branch);
        String list = HISTORY + ":" + target(scope, name, branch);
        Page<EnvVarVersion> page = store.history(key, context.after(request, list), context.limit(request));
        return ApiResponse.ok(ApiViews.page(page.items(), EnvVarsApi::view, context.nextCursor(list, page)));
    }

    private ApiResponse importDotenv(ApiRequest request) {
        JsonBody body = JsonBody.of(request, Set.of("scope", "branch", "sensitive", "dotenv"));
        EnvScope scope = scope(body.string("scope").orElseThrow(() -> ApiProblem.invalid("scope", "is required")), "scope");
        String branch = branch(scope, body.string("branch").orElse(null));
        ProjectAccess access = context.projectAccess(request, manage(scope), "env.import",
                "env:" + scope.wireName() + (branch.isEmpty() ? "" : "@" + branch));
        String text = body.string("dotenv").orElseThrow(() -> ApiProblem.invalid("dotenv", "is required"));
        Optional<Boolean> sensitive = body.bool("sensitive");
        Dotenv.Parsed parsed;
        try {
            parsed = Dotenv.parse(text);
        } catch (DotenvException malformed) {
            throw ApiProblem.invalid("dotenv", "nothing was imported: " + malformed.errors().stream()
                    .map(LineError::toString).collect(Collectors.joining("; ")));
        }
        if (parsed.entries().size() > MAX_IMPORT) {
            throw ApiProblem.invalid("dotenv", "nothing was imported: " + parsed.entries().size()
                    + " variables, at most " + MAX_IMPORT + " in one import");
        }
        int[] counts = new int[Outcome.values().length];
        for (Dotenv.Entry entry : parsed.entries()) {
            Written written = write(request, access.project(),
                    new EnvVarKey(access.project().projectId(), scope, entry.name(), branch), entry.value(), sensitive);
            counts[written.outcome().ordinal()]++;
        }
        ObjectNode answer = Json.object().put("created", counts[Outcome.CREATED.ordinal()])
                .put("updated", counts[Outcome.UPDATED.ordinal()]).put("unchanged", counts[Outcome.UNCHANGED.ordinal()]);
        ArrayNode warnings = answer.putArray("warnings");
        parsed.warnings().forEach(warning -> warnings.add(warning.toString()));
        answer.put("hint", HINT);
        return ApiResponse.ok(answer);
    }

    private ApiResponse export(ApiRequest request) {
        EnvScope scope = scope(Optional.ofNullable(request.query().get("scope"))
                .orElseThrow(() -> ApiProblem.invalid("scope", "is required")), "scope");
        String branch = branch(scope, request.query().get("branch"));
        ProjectAccess access = context.projectAccess(request, Permission.READ_ENV_VALUES, "env.export",
                "env:" + scope.wireName() + (branch.isEmpty() ? "" : "@" + branch));
        List<Dotenv.Entry> entries = new ArrayList<>();
        ObjectNode answer = Json.object().put("scope", scope.wireName());
        if (branch.isEmpty()) {
            answer.putNull("branch");
        } else {
            answer.put("branch", branch);
        }
        ArrayNode omitted = Json.MAPPER.createArrayNode();
        for (EnvVar variable : store.all(access.project().projectId(), scope)) {
            if (!variable.key().branch().equals(branch)) {
                continue;
            }
            if (variable.sensitive()) {
                omitted.add(variable.key().name());
            } else {
                entries.add(new Dotenv.Entry(variable.key().name(), open(variable, access.project())));
            }
        }
        answer.put("dotenv", Dotenv.format(entries));
        answer.set("omitted", omitted);
        return ApiResponse.ok(answer);
    }

    /**
     * Sets the variable unless it already holds this value and sensitivity (no new version then). Retried on a
     * concurrent change: a set is last-writer-wins, and each write is conditional on the version it read.
     *
     * @param sensitive empty: as it was (false for a new variable)
     */
    private Written write(ApiRequest request, Project project, EnvVarKey key, String value, Optional<Boolean> sensitive) {
        Caller caller = request.requireCaller();
        String hash = valueHash(key, value);
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<EnvVar> current = store.get(key);
            Optional<EnvVar> live = current.filter(v -> !v.deleted());
            boolean isSensitive = sensitive.orElse(live.map(EnvVar::sensitive).orElse(false));
            if (live.isPresent() && live.get().valueHash().equals(hash) && live.get().sensitive() == isSensitive) {
                return new Written(Outcome.UNCHANGED, live.get());
            }
            long expected = current.map(EnvVar::version).orElse(0L);
            Instant now = context.now();
            String sealed = cipher.seal(value, key.encryptionContext(project.teamId())).encoded();
            EnvVar next = new EnvVar(key, sealed, isSensitive, expected + 1, hash, now, caller.userId(), false);
            try {
                store.write(next, expected, new EnvVarVersion(key, expected + 1, EnvVarVersion.SET, isSensitive, hash, sealed, now,
                                caller.userId(), caller.tokenId()),
                        context.audit(request, project.teamId(), "env.set", target(key.scope(), key.name(), key.branch()), "succeeded"));
                return new Written(live.isPresent() ? Outcome.UPDATED : Outcome.CREATED, next);
            } catch (ApiStore.Conflict changed) {
                // another change came first: read it and try again
            }
        }
        throw ApiProblem.conflict("conflict", "the variable " + key.name() + " keeps changing; try again");
    }

    private String open(EnvVar variable, Project project) {
        return cipher.open(SealedValue.decode(variable.sealed()), variable.key().encryptionContext(project.teamId()));
    }

    /**
     * A variable as an answer shows it. {@code project} null: names only (a viewer). A sensitive value is always the
     * mask.
     */
    private ObjectNode view(EnvVar variable, Project project) {
        EnvVarKey key = variable.key();
        ObjectNode node = Json.object().put("name", key.name()).put("scope", key.scope().wireName());
        if (key.forBranch()) {
            node.put("branch", key.branch());
        } else {
            node.putNull("branch");
        }
        node.put("sensitive", variable.sensitive());
        if (project != null) {
            node.put("value", variable.sensitive() ? MASK : open(variable, project));
        }
        node.put("version", variable.version());
        ApiViews.time(node, "updatedAt", variable.updatedAt());
        node.put("updatedBy", variable.updatedBy());
        return node;
    }

    private static ObjectNode view(EnvVarVersion version) {
        ObjectNode node = Json.object().put("version", version.version()).put("action", version.action())
                .put("sensitive", version.sensitive());
        if (version.valueHash() == null) {
            node.putNull("valueHash");
        } else {
            node.put("valueHash", version.valueHash());
        }
        node.put("actor", version.actor());
        if (version.tokenId() == null) {
            node.putNull("tokenId");
        } else {
            node.put("tokenId", version.tokenId());
        }
        ApiViews.time(node, "at", version.at());
        return node;
    }

    /**
     * HMAC-SHA256 of the value under its encryption context, with a key derived from the platform's own secret
     * (the cursor key): equal values of one variable hash alike, and nobody without the table's secret can confirm a
     * guessed value from a hash, as a plain SHA-256 of a short secret would allow.
     */
    private String valueHash(EnvVarKey key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hashKey());
            for (Map.Entry<String, String> part : key.encryptionContext("").entrySet()) {
                mac.update((part.getKey() + "=" + part.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return "hmac-sha256:" + HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private SecretKeySpec hashKey() throws GeneralSecurityException {
        SecretKeySpec key = hashKey;
        if (key == null) {
            // derived on first use, not at init: a SnapStart snapshot holds no key
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(context.store().cursorKey(), "HmacSHA256"));
            key = new SecretKeySpec(mac.doFinal("environment variable value hash v1".getBytes(StandardCharsets.UTF_8)), "HmacSHA256");
            hashKey = key;
        }
        return key;
    }

    private static Permission manage(EnvScope scope) {
        return scope == EnvScope.PRODUCTION ? Permission.MANAGE_PRODUCTION_ENV : Permission.MANAGE_PREVIEW_ENV;
    }

    /** The audit target: {@code env:<scope>/<NAME>}, with {@code @<branch>} for a branch's value. */
    private static String target(EnvScope scope, String name, String branch) {
        return "env:" + scope.wireName() + "/" + name + (branch.isEmpty() ? "" : "@" + branch);
    }

    private static EnvScope scope(String value, String field) {
        return EnvScope.of(value).orElseThrow(() -> ApiProblem.invalid(field, "must be production, preview or development"));
    }

    private static EnvScope optionalScope(String value, String field) {
        return value == null ? null : scope(value, field);
    }

    private static String name(String name) {
        EnvVarNames.nameProblem(name).ifPresent(problem -> {
            throw ApiProblem.invalid("name", problem);
        });
        return name;
    }

    /** {@code ?branch=}: a preview value for one branch; empty for the scope's value. */
    private static String branch(EnvScope scope, String branch) {
        if (branch == null || branch.isEmpty()) {
            return "";
        }
        if (scope != EnvScope.PREVIEW) {
            throw ApiProblem.invalid("branch", "only preview variables have a branch");
        }
        if (!ProjectsApi.BRANCH.matcher(branch).matches()) {
            throw ApiProblem.invalid("branch", "must be a valid branch name");
        }
        return branch;
    }
}
