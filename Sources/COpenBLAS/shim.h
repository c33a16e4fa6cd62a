// The CBLAS interface and OpenBLAS's thread controls, from libopenblas-dev (Debian) or
// openblas (Homebrew); SwiftPM finds the include and library paths with pkg-config.
#include <cblas.h>
