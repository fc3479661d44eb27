# Cross-build for win-x64 with Debian's MinGW-w64 (gcc-mingw-w64-x86-64): libnanonet.dll and the .exe C suites.
# The C suites run under Wine: ctest starts each test executable through CMAKE_CROSSCOMPILING_EMULATOR.
# Wine maps / to drive Z: and resolves a path starting with / on the current drive, so the suites' absolute
# paths to the repository and ../shared work unchanged (ctest runs them from the build folder, on Z:).
# Set WINEPREFIX (nf.proj uses one under build/) and WINEDEBUG=-all when running ctest.
#   cmake -S . -B build/native-win-x64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/x86_64-w64-mingw32.cmake
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)

set(NANONET_CROSS_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${NANONET_CROSS_TRIPLE}-gcc)
set(CMAKE_RC_COMPILER ${NANONET_CROSS_TRIPLE}-windres)

set(CMAKE_FIND_ROOT_PATH /usr/${NANONET_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Debian's wine64 package installs the 64-bit loader as /usr/lib/wine/wine64 (the `wine` package adds a wrapper).
find_program(NANONET_WINE NAMES wine64 wine PATHS /usr/lib/wine)
if(NANONET_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${NANONET_WINE})
endif()
