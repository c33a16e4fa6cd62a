// GENERATED from Exercises/Solutions/Implementation.swift by `make exercise-stubs`.
// This is the learner's file: replace each `throw ExerciseError.notImplemented(…)` with your
// code, then run `make exercise N=<id>` (Exercises/README.md explains the workflow).
import ExerciseChecks

/// Your implementations of the exercises: one `extension Implementation` per exercise, in the
/// chapter folders. `make exercise N=1.1` runs the checks of exercise 1.1 against it.
public enum Implementation: ExerciseSet {}
