package dev.platform.infra;

import dev.platform.topology.FunctionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built deployables: the shared layer zip and one small jar per function (its own classes).
 * Maven builds them ({@code mvn -DskipTests install}); the app only points at them.
 *
 * @param layerZip {@code layers/lambda-layer/target/platform-layer.zip}
 * @param functionJars function name to {@code functions/<name>/target/<name>.jar}
 */
public record Artifacts(Path layerZip, Map<String, Path> functionJars) {

    public Artifacts {
        functionJars = Map.copyOf(functionJars);
    }

    /** The artifacts as Maven builds them in this repository; fails, naming what is missing, before any synth. */
    public static Artifacts inRepository(Path root, List<FunctionSpec> functions) {
        Path layer = root.resolve("layers/lambda-layer/target/platform-layer.zip");
        Map<String, Path> jars = new LinkedHashMap<>();
        for (FunctionSpec function : functions) {
            jars.put(function.name(), root.resolve("functions").resolve(function.name())
                    .resolve("target").resolve(function.name() + ".jar"));
        }
        List<Path> missing = new ArrayList<>();
        if (!Files.isRegularFile(layer)) {
            missing.add(layer);
        }
        jars.values().stream().filter(jar -> !Files.isRegularFile(jar)).forEach(missing::add);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("build the functions and the layer before synthesizing "
                    + "(from the repository root: mvn -DskipTests install); missing: " + missing);
        }
        return new Artifacts(layer, jars);
    }

    public Path jar(FunctionSpec function) {
        Path jar = functionJars.get(function.name());
        if (jar == null) {
            throw new IllegalArgumentException("no artifact for function " + function.name());
        }
        return jar;
    }
}
