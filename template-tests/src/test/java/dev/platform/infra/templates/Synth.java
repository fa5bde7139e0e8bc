package dev.platform.infra.templates;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.core.json.Json;
import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Topology;
import dev.platform.infra.Artifacts;
import dev.platform.infra.Platform;
import dev.platform.infra.PlatformSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

/**
 * Synthesizes the app once per variant (settings + functions) for the whole test JVM, and gives
 * each stack's template both as a CDK assertions {@link Template} and as JSON for structural walks.
 */
final class Synth {
    /** The deployed topology with the documented defaults (no domain). */
    static final Variant DEFAULT = new Variant("default", PlatformSettings.defaults(), Topology.functions());

    private static final Map<Variant, Result> CACHE = new ConcurrentHashMap<>();

    /** What to synthesize. */
    record Variant(String name, PlatformSettings settings, List<FunctionSpec> functions) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** One synthesized app. */
    record Result(Variant variant, Platform platform, CloudAssembly assembly, Map<String, JsonNode> templates) {
        Template template(String stack) {
            return Template.fromString(Json.write(json(stack)));
        }

        JsonNode json(String stack) {
            JsonNode template = templates.get(stack);
            if (template == null) {
                throw new IllegalArgumentException("no stack " + stack + " in " + templates.keySet());
            }
            return template;
        }

        /** Logical id to resource, for every resource of this type in the stack. */
        Map<String, JsonNode> resources(String stack, String type) {
            Map<String, JsonNode> found = new LinkedHashMap<>();
            json(stack).path("Resources").fields().forEachRemaining(e -> {
                if (type.equals(e.getValue().path("Type").asText())) {
                    found.put(e.getKey(), e.getValue());
                }
            });
            return found;
        }

        /** Every resource of this type in any stack, keyed "Stack/LogicalId". */
        Map<String, JsonNode> resourcesEverywhere(String type) {
            Map<String, JsonNode> found = new LinkedHashMap<>();
            templates.keySet().forEach(stack -> resources(stack, type).forEach((id, r) -> found.put(stack + "/" + id, r)));
            return found;
        }

        List<FunctionSpec> functions() {
            return variant.functions();
        }
    }

    private Synth() {
    }

    static Result of(Variant variant) {
        return CACHE.computeIfAbsent(variant, Synth::synthesize);
    }

    private static Result synthesize(Variant variant) {
        try {
            Path outdir = Files.createTempDirectory("cdk-" + variant.name() + "-");
            App app = new App(AppProps.builder().outdir(outdir.toString()).build());
            Platform platform = Platform.build(app, variant.settings(), variant.functions(), artifacts(variant.functions()));
            CloudAssembly assembly = app.synth();
            Map<String, JsonNode> templates = new LinkedHashMap<>();
            for (CloudFormationStackArtifact stack : assembly.getStacks()) {
                templates.put(stack.getStackName(), Json.MAPPER.readTree(Path.of(stack.getTemplateFullPath()).toFile()));
            }
            return new Result(variant, platform, assembly, templates);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The real artifacts for the topology's functions (the reactor builds them before this module); a placeholder
     * jar for a function that exists only in a test topology, or whose module ({@code functions/<name>}) is not in
     * the repository yet. Once a module is there its real jar is required.
     */
    private static Artifacts artifacts(List<FunctionSpec> functions) throws IOException {
        List<FunctionSpec> deployed = functions.stream().filter(f -> Topology.functions().contains(f))
                .filter(Synth::moduleWritten).toList();
        Artifacts real = Artifacts.inRepository(repositoryRoot(), deployed);
        Map<String, Path> jars = new LinkedHashMap<>(real.functionJars());
        for (FunctionSpec function : functions) {
            if (!jars.containsKey(function.name())) {
                Path jar = Files.createTempFile(function.name() + "-", ".jar");
                try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
                    zip.putNextEntry(new java.util.zip.ZipEntry("placeholder.txt"));
                    zip.write(("test-only function " + function.name()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                jars.put(function.name(), jar);
            }
        }
        return new Artifacts(real.layerZip(), jars);
    }

    /** Whether the function's Maven module is in the repository (a topology entry can come before its module). */
    static boolean moduleWritten(FunctionSpec function) {
        return Files.isRegularFile(repositoryRoot().resolve("functions").resolve(function.name()).resolve("pom.xml"));
    }

    static Path repositoryRoot() {
        String root = System.getProperty("platform.root");
        if (root == null) {
            throw new IllegalStateException("platform.root is not set; run the tests through Maven");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }
}
