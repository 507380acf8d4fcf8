/*
 * Stand-in for EventEditor under MPI (same arguments: -s file://IN -S file://OUT ...). Every rank takes
 * part in MPI_Init, a broadcast and a reduction, so a broken MPI set-up fails here as it would for the
 * real tool. Rank 0 reads IN and writes OUT; an input containing "FAIL" makes every rank exit with 3.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *strip(const char *url) {
  return strncmp(url, "file://", 7) == 0 ? url + 7 : url;
}

int main(int argc, char **argv) {
  const char *src = NULL, *dst = NULL;
  int rank, size, status = 0;
  long bytes = 0, total = 0;
  char *data = NULL;

  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  for (int i = 1; i + 1 < argc; i++) {
    if (strcmp(argv[i], "-s") == 0) src = strip(argv[++i]);
    else if (strcmp(argv[i], "-S") == 0) dst = strip(argv[++i]);
  }
  if (rank == 0) {
    FILE *in = src ? fopen(src, "rb") : NULL;
    if (in == NULL) {
      fprintf(stderr, "mpi_eventeditor: cannot read %s\n", src ? src : "(no -s)");
      status = 2;
    } else {
      data = malloc(1 << 20);
      bytes = (long) fread(data, 1, (1 << 20) - 1, in);
      fclose(in);
      data[bytes] = '\0';
      if (strstr(data, "FAIL") != NULL) {
        fprintf(stderr, "mpi_eventeditor: bad trace in %s\n", src);
        status = 3;
      }
    }
  }
  MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Bcast(&bytes, 1, MPI_LONG, 0, MPI_COMM_WORLD);
  long share = bytes / size + (rank < bytes % size ? 1 : 0);
  MPI_Reduce(&share, &total, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
  if (rank == 0 && status == 0) {
    FILE *out = dst ? fopen(dst, "wb") : NULL;
    if (out == NULL) {
      fprintf(stderr, "mpi_eventeditor: cannot write %s\n", dst ? dst : "(no -S)");
      status = 4;
    } else {
      fprintf(out, "fitted by %d ranks, %ld bytes\n", size, total);
      fwrite(data, 1, (size_t) bytes, out);
      fclose(out);
      printf("mpi_eventeditor: %ld bytes from %s on %d ranks\n", total, src, size);
    }
  }
  MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
  free(data);
  MPI_Finalize();
  return status;
}
