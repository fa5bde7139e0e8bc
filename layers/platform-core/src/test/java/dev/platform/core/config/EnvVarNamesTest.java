package dev.platform.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The name and value rules, with the reasons people read. */
class EnvVarNamesTest {

    @Test
    void wellFormedUnreservedNamesAreAccepted() {
        for (String name : new String[] {"A", "_", "_A1", "database_url", "DATABASE_URL", "AWS", "AWSOME", "ECSX", "PLATFORM",
                "MY_AWS_KEY", "A".repeat(EnvVarNames.MAX_NAME_CHARS)}) {
            assertEquals(Optional.empty(), EnvVarNames.nameProblem(name), name);
        }
    }

    @Test
    void eachRefusalSaysWhy() {
        assertEquals(Optional.of("name is required"), EnvVarNames.nameProblem(""));
        assertEquals(Optional.of("name is required"), EnvVarNames.nameProblem(null));
        assertEquals(Optional.of("name is over 256 characters"), EnvVarNames.nameProblem("A".repeat(257)));
        for (String name : new String[] {"1A", "A-B", "A B", " A", "A=", "Ä", "A\n"}) {
            assertEquals(Optional.of("name must match ^[A-Za-z_][A-Za-z0-9_]*$"), EnvVarNames.nameProblem(name), name);
        }
        for (String name : new String[] {"AWS_REGION", "AWS_", "ECS_AGENT", "PLATFORM_ID", "aws_region", "Aws_x", "ecs_y", "platform_z"}) {
            assertEquals(Optional.of("name " + name + " is reserved (AWS_*, ECS_*, PLATFORM_* are set by the platform)"),
                    EnvVarNames.nameProblem(name), name);
        }
    }

    @Test
    void valuesAreLimitedTo64KiBOfUtf8() {
        assertEquals(Optional.empty(), EnvVarNames.valueProblem(""));
        assertEquals(Optional.empty(), EnvVarNames.valueProblem("x".repeat(65536)));
        assertEquals(Optional.of("value is over 64 KiB"), EnvVarNames.valueProblem("x".repeat(65537)));
        // 16384 four-byte characters (two UTF-16 units each) are exactly 64 KiB
        assertEquals(Optional.empty(), EnvVarNames.valueProblem("🚀".repeat(16384)));
        assertEquals(Optional.of("value is over 64 KiB"), EnvVarNames.valueProblem("🚀".repeat(16384) + "x"));
        assertEquals(Optional.of("value is required"), EnvVarNames.valueProblem(null));
    }
}
