package dev.platform.infra.templates;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.topology.FunctionSpec;
import dev.platform.topology.Topology;
import dev.platform.infra.Artifacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What the stacks deploy: the layer holds the shared code and every dependency in Lambda's layout;
 * each function's jar holds its own classes only, so it stays small. A topology function whose module
 * is not in the repository yet has no jar to check (the stacks are synthesized with a placeholder).
 */
class PackagingTest {
    private static final List<FunctionSpec> BUILT = Topology.functions().stream().filter(Synth::moduleWritten).toList();
    private final Artifacts artifacts = Artifacts.inRepository(Synth.repositoryRoot(), BUILT);

    @Test
    void layerHoldsTheSharedCodeAndDependenciesInLambdasJavaLayout() throws IOException {
        List<String> jars = entries(artifacts.layerZip()).stream()
                .filter(name -> !name.endsWith("/"))
                .toList();
        assertTrue(jars.stream().allMatch(name -> name.startsWith("java/lib/") && name.endsWith(".jar")), jars.toString());
        for (String expected : List.of("platform-core-", "platform-aws-", "crac-", "aws-lambda-java-core-",
                "aws-lambda-java-events-", "dagger-", "url-connection-client-", "jackson-databind-")) {
            assertTrue(jars.stream().anyMatch(name -> name.startsWith("java/lib/" + expected)), "layer lacks " + expected);
        }
        for (String excluded : List.of("apache-client-", "netty-nio-client-")) {
            assertTrue(jars.stream().noneMatch(name -> name.startsWith("java/lib/" + excluded)), "unused HTTP client " + excluded);
        }
    }

    @Test
    void eachFunctionJarHoldsOnlyItsOwnClasses() throws IOException {
        for (FunctionSpec function : BUILT) {
            Path jar = artifacts.jar(function);
            String ownPackage = function.handlerClass().substring(0, function.handlerClass().lastIndexOf('.')).replace('.', '/') + "/";
            List<String> classes = entries(jar).stream().filter(name -> name.endsWith(".class")).toList();
            assertTrue(classes.contains(function.handlerClass().replace('.', '/') + ".class"), function.name() + " has its handler");
            assertTrue(classes.stream().allMatch(name -> name.startsWith(ownPackage)),
                    function.name() + " bundles classes of other packages: " + classes);
            assertTrue(Files.size(jar) < 200 * 1024, function.name() + " is " + Files.size(jar) + " bytes");
        }
    }

    private static List<String> entries(Path zip) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            return file.stream().map(ZipEntry::getName).toList();
        }
    }
}
