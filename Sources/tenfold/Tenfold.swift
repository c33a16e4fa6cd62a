import ArgumentParser

/// `tenfold`: the command-line tool for everything outside the chapters —
/// tokenising, benchmarks, training, export and the exercises.
@main
struct Tenfold: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenfold",
        abstract: "Efficient BERT-style pre-training: tools beside the chapters.",
        discussion: """
        Each verb has its own --help. Benchmarks and training should be run from a release \
        build: swift run -c release tenfold <verb> …
        """,
        subcommands: [Tokenize.self, VocabCommand.self, PrepareCommand.self, Bench.self, Train.self, Plan.self,
                      Finetune.self, Evaluate.self, Predict.self, Export.self, BookCommand.self, SlidesCommand.self,
                      CheckCommand.self, HintCommand.self, ProgressCommand.self, WatchCommand.self, ExercisesCommand.self]
    )
}
