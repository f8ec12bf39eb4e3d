#include "tern_gzip.h"

#include <stdio.h>
#include <zlib.h>

int tern_gunzip_file(const char *sourcePath, const char *destinationPath) {
    gzFile source = gzopen(sourcePath, "rb");
    if (source == NULL) return -1;
    FILE *destination = fopen(destinationPath, "wb");
    if (destination == NULL) {
        gzclose(source);
        return -2;
    }
    char buffer[1 << 16];
    int result = 0;
    for (;;) {
        int count = gzread(source, buffer, sizeof buffer);
        if (count < 0) { result = -3; break; }
        if (count == 0) {
            int error = Z_OK;
            gzerror(source, &error);
            if (error != Z_OK && error != Z_STREAM_END) result = -3;
            break;
        }
        if (fwrite(buffer, 1, (size_t)count, destination) != (size_t)count) { result = -2; break; }
    }
    if (fclose(destination) != 0 && result == 0) result = -2;
    if (gzclose(source) != Z_OK && result == 0) result = -3;
    return result;
}
