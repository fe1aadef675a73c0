package dev.securenet.interop;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs a test class only where a container engine answers. In CI ({@code CI=true}) a missing
 * engine fails the build, because a skipped interoperability suite proves nothing; on a developer
 * machine the suite is skipped with one line saying how to enable it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresContainerEngine.Condition.class)
public @interface RequiresContainerEngine {

    /** The check behind the annotation. */
    class Condition implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return ConditionEvaluationResult.enabled("a container engine answers");
            }
            String how = "no container engine answers: start Docker, or Podman's Docker API "
                    + "(see .ci/container-engine.sh) with DOCKER_HOST set, to run the interoperability suite";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true but " + how);
            }
            System.out.println("Skipping " + context.getDisplayName() + ": " + how);
            return ConditionEvaluationResult.disabled(how);
        }
    }
}
