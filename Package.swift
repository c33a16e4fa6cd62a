// swift-tools-version: 6.1
//
// Tenfold — efficient BERT-style pre-training, taught and run.
// The target list below is the book's table of contents: each module builds on the one before.
import Foundation
import PackageDescription

/// The engine's hot modules are compiled with optimisation in every configuration, so that
/// `swift run chapterN` (a debug build) runs about as fast as a release build: Swift's
/// unoptimised numeric loops are ~100× slower. This uses unsafe flags, which SwiftPM allows
/// only in a root package; a package that depends on Tenfold should depend on a tagged
/// release built in release mode. (Sources/README.md, "Engine principles".)
let optimised: [SwiftSetting] = [.unsafeFlags(["-O"])]

/// The student edition (`make student-edition`) is this repository without `Exercises/Solutions`:
/// there the solutions and the instructor's tests of them are not declared, and the learner's XCTest
/// target (`Tests/LearnerExerciseTests`, one test per exercise, generated into the edition) is.
func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: Context.packageDirectory + "/" + path) }
let instructorTargets: [Target] = !exists("Exercises/Solutions") ? [] : [
    .target(name: "ExerciseSolutions", dependencies: ["ExerciseChecks", "Tensors", "Autograd", "Transformer",
                                                      "BertBaseline", "ExpandedAttention", "UntiedAttention",
                                                      "NoteTaking", "MetaController"],
            path: "Exercises/Solutions"),
    // Every solution passes, every stub fails with its own message, the stubs are up to date.
    .testTarget(name: "ExerciseTests", dependencies: [
        "ExerciseChecks", "Exercises", "ExerciseSolutions", "Tensors", "Transformer", "ExpandedAttention", "NoteTaking",
        "MetaController",
    ]),
]
let learnerTargets: [Target] = !exists("Tests/LearnerExerciseTests") ? [] : [
    .testTarget(name: "LearnerExerciseTests", dependencies: ["ExerciseChecks", "Exercises"]),
]

let package = Package(
    name: "Tenfold",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tenfold", targets: ["tenfold"]),
        .executable(name: "chapter1", targets: ["chapter1"]),
        .executable(name: "chapter2", targets: ["chapter2"]),
        .executable(name: "chapter3", targets: ["chapter3"]),
        .executable(name: "chapter4", targets: ["chapter4"]),
        .executable(name: "chapter5", targets: ["chapter5"]),
        .executable(name: "chapter6", targets: ["chapter6"]),
        // What a learner's copy of the exercises depends on (`tenfold exercises copy`): the checks
        // and the engine modules the exercises import.
        .library(name: "TenfoldExercises", targets: [
            "ExerciseChecks", "Tensors", "Autograd", "Transformer", "BertBaseline", "ExpandedAttention", "UntiedAttention",
            "NoteTaking", "MetaController",
        ]),
    ],
    // `swift build --traits MPI` (make build-mpi): data-parallel training over Open MPI. Without
    // it nothing depends on MPI (Sources/DataParallel compiles to a stub).
    traits: [.trait(name: "MPI", description: "Data-parallel training over Open MPI (needs libopenmpi-dev).")],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
    ],
    targets: [
        // MARK: Files
        // Writes that readers see whole or not at all; below everything that writes a file.
        .target(name: "AtomicFiles"),

        // MARK: The engine
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]
        ),
        // eˣ and GELU in C: one source, compiled for AVX2+FMA and for the baseline, chosen at
        // run time (no -march flag). Optimised in every configuration, like the Swift engine.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "Tensors", dependencies: ["COpenBLAS", "CKernels"], swiftSettings: optimised),
        .target(name: "Autograd", dependencies: ["Tensors"], swiftSettings: optimised),
        .target(name: "Diagrams", dependencies: ["Autograd", "AtomicFiles"]),

        // MARK: Text
        .target(
            name: "Text", dependencies: ["Tensors", "AtomicFiles"],
            resources: [.copy("Resources/corpus")],
            swiftSettings: optimised
        ),

        // MARK: The literate runtime and the model
        .target(name: "Notebook", dependencies: [
            "Tensors", "Autograd", "Diagrams", "AtomicFiles",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Weaves chapter records into the book's HTML pages.
        .target(name: "Book", dependencies: ["Notebook", .product(name: "Ink", package: "Ink")]),
        // The model with its three seams (positions, input, objective), training, checkpoints.
        .target(name: "Transformer", dependencies: ["Tensors", "Autograd", "Text", "AtomicFiles"],
                swiftSettings: optimised),

        // MARK: One module per chapter's method
        .target(name: "BertBaseline", dependencies: ["Transformer"], swiftSettings: optimised),
        .target(name: "ExpandedAttention", dependencies: ["BertBaseline"], swiftSettings: optimised),
        .target(name: "UntiedAttention", dependencies: ["ExpandedAttention"], swiftSettings: optimised),
        // Chapter 4 acts on the input seam; it needs the model's seams, not chapter 3's positions.
        .target(name: "NoteTaking", dependencies: ["Tensors", "Autograd", "Text", "Transformer"], swiftSettings: optimised),
        // Chapter 5 acts on the objective seam: ELECTRA and MC-BERT, each with a small helper network.
        .target(name: "MetaController", dependencies: ["Tensors", "Autograd", "Text", "Transformer"], swiftSettings: optimised),

        // MARK: Downstream evaluation
        // Fine-tuning any checkpoint's encoder on GLUE-format tasks and on the embedded
        // mini-GLUE; the yardstick of chapters 3–6.
        .target(name: "Finetuning", dependencies: ["Tensors", "Autograd", "Text", "Transformer", "AtomicFiles"],
                resources: [.copy("Resources/mini-glue")], swiftSettings: optimised),

        // MARK: Every method by name
        // The registry of every seam choice, and what the chapters and the tool share above
        // the methods (the loss curve, the evaluation table).
        .target(name: "Catalog", dependencies: [
            "Transformer", "Diagrams", "Notebook", "BertBaseline", "ExpandedAttention", "UntiedAttention", "NoteTaking",
            "MetaController", "Finetuning", "Text", "AtomicFiles",
        ]),

        // MARK: Exercises
        // The checks, the hints and the stub generator; the same checks run against the learner's
        // stubs (`Exercises`, generated from the solutions) and the reference solutions.
        .target(name: "ExerciseChecks", dependencies: [
            "Tensors", "Autograd", "Transformer", "BertBaseline", "ExpandedAttention", "UntiedAttention", "NoteTaking",
            "MetaController",
        ]),
        .target(name: "Exercises", dependencies: ["ExerciseChecks", "Tensors", "Autograd", "Transformer",
                                                  "BertBaseline", "ExpandedAttention", "UntiedAttention", "NoteTaking",
                                                  "MetaController"],
                path: "Exercises", exclude: (exists("Exercises/Solutions") ? ["Solutions"] : []) + ["README.md"]),

        // MARK: Data-parallel training (opt-in)
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"]), .brew(["open-mpi"])]),
        .target(name: "DataParallel", dependencies: [
            "Transformer", .target(name: "CMPI", condition: .when(traits: ["MPI"])),
        ]),

        // MARK: Tools and chapters
        .executableTarget(
            name: "tenfold",
            dependencies: [
                "Tensors", "Autograd", "Diagrams", "Text", "COpenBLAS", "Transformer", "BertBaseline", "Catalog",
                "Finetuning", "Notebook", "AtomicFiles", "NoteTaking", "MetaController",
                "ExpandedAttention", "UntiedAttention", "Book", "ExerciseChecks", "Exercises", "DataParallel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "chapter1",
            dependencies: [
                "Tensors", "Autograd", "Diagrams", "Text", "Notebook", "Transformer", "BertBaseline", "Catalog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Chapters/chapter1"
        ),
        .executableTarget(
            name: "chapter2",
            dependencies: [
                "Tensors", "Autograd", "Diagrams", "Text", "Notebook", "Transformer", "BertBaseline", "Catalog",
                "ExpandedAttention", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Chapters/chapter2"
        ),
        .executableTarget(
            name: "chapter3",
            dependencies: [
                "Tensors", "Autograd", "Diagrams", "Text", "Notebook", "Transformer", "BertBaseline", "Catalog",
                "ExpandedAttention", "UntiedAttention", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Chapters/chapter3"
        ),
        .executableTarget(
            name: "chapter4",
            dependencies: [
                "Tensors", "Autograd", "Diagrams", "Text", "Notebook", "Transformer", "BertBaseline", "UntiedAttention",
                "NoteTaking", "Finetuning", "Catalog", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Chapters/chapter4"
        ),
        .executableTarget(
            name: "chapter5",
            dependencies: [
                "Tensors", "Autograd", "Diagrams", "Text", "Notebook", "Transformer", "BertBaseline", "MetaController",
                "Finetuning", "Catalog", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Chapters/chapter5"
        ),
        .executableTarget(
            name: "chapter6",
            dependencies: [
                "Tensors", "Autograd", "Diagrams", "Text", "Notebook", "Transformer", "BertBaseline", "UntiedAttention",
                "NoteTaking", "MetaController", "Finetuning", "Catalog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Chapters/chapter6"
        ),

        // MARK: Fuzzing
        // libFuzzer harnesses for what reads files: `make fuzz` builds each with
        // -sanitize=fuzzer,address (scripts/fuzz.sh); an ordinary build makes each a replayer of
        // the inputs given as arguments, which FuzzCorpusTests runs over Tests/Fuzz/Corpora.
        .target(name: "FuzzSupport", path: "Tests/Fuzz/FuzzSupport"),
        .executableTarget(name: "FuzzSafetensors", dependencies: ["FuzzSupport", "Transformer"], path: "Tests/Fuzz/FuzzSafetensors"),
        .executableTarget(name: "FuzzCheckpoint", dependencies: ["FuzzSupport", "Tensors", "Text", "Transformer", "BertBaseline",
                                                                "Finetuning"],
                          path: "Tests/Fuzz/FuzzCheckpoint"),
        .executableTarget(name: "FuzzVocabulary", dependencies: ["FuzzSupport", "Text"], path: "Tests/Fuzz/FuzzVocabulary"),
        .executableTarget(name: "FuzzTokenizer", dependencies: ["FuzzSupport", "Text"], path: "Tests/Fuzz/FuzzTokenizer"),

        // MARK: Tests
        .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
        .testTarget(name: "AutogradTests", dependencies: ["Autograd"]),
        .testTarget(name: "AtomicFilesTests", dependencies: ["AtomicFiles"]),
        .testTarget(name: "DiagramsTests", dependencies: ["Diagrams"]),
        .testTarget(name: "TextTests", dependencies: ["Text"], exclude: ["Fixtures"]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook"]),
        .testTarget(name: "BookTests", dependencies: ["Book", "Notebook"]),
        .testTarget(name: "ExpandedAttentionTests", dependencies: ["ExpandedAttention", "Transformer", "BertBaseline"]),
        .testTarget(name: "UntiedAttentionTests", dependencies: ["UntiedAttention", "Transformer", "BertBaseline"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "NoteTakingTests", dependencies: ["NoteTaking", "Transformer", "BertBaseline", "Text", "Tensors",
                                                           "Autograd"], exclude: ["Fixtures"]),
        .testTarget(name: "MetaControllerTests", dependencies: ["MetaController", "Transformer", "BertBaseline",
                                                               "UntiedAttention", "NoteTaking", "Finetuning", "Catalog",
                                                               "Text", "Tensors", "Autograd"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "TransformerTests", dependencies: ["Transformer", "BertBaseline", "AtomicFiles"],
                    exclude: ["Fixtures"]),
        // The seams used from outside Transformer, as chapters 4 and 5 will use them.
        .testTarget(name: "SeamTests", dependencies: ["Transformer", "BertBaseline", "Text", "Tensors", "Autograd"]),
        // Runs every chapter (quick mode) as a user would and checks what it prints and writes.
        .testTarget(name: "ChapterTests", dependencies: ["Notebook"]),
        .testTarget(name: "FinetuningTests", dependencies: ["Finetuning", "Transformer", "BertBaseline", "Catalog"]),
        // What chapter 6 adds above the methods: seam choices by name, the reproduction table, the plan.
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "Transformer", "Text"]),
    ] + instructorTargets + learnerTargets,
    swiftLanguageModes: [.v5]
)
