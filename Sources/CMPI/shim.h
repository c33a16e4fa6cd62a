// Open MPI's C interface for Swift. Open MPI defines MPI_COMM_WORLD, the datatypes, MPI_SUM
// and MPI_IN_PLACE as macros over its own globals, which Swift cannot import, so they are
// wrapped in functions here. Built only with the MPI trait (swift build --traits MPI).
#include <mpi.h>

static inline MPI_Comm tenfold_mpi_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype tenfold_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype tenfold_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Op tenfold_mpi_sum(void) { return MPI_SUM; }
static inline void *tenfold_mpi_in_place(void) { return MPI_IN_PLACE; }
