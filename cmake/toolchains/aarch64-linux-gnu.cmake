# Cross-build for linux-arm64 with Debian's aarch64 cross compiler (gcc-aarch64-linux-gnu, libc6-dev-arm64-cross).
# The C suites run under qemu-user: ctest starts each test executable through CMAKE_CROSSCOMPILING_EMULATOR,
# with -L pointing qemu at the cross libc (the dynamic loader and libc of /usr/aarch64-linux-gnu).
#   cmake -S . -B build/native-linux-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(NANONET_CROSS_TRIPLE aarch64-linux-gnu)
set(NANONET_CROSS_SYSROOT /usr/${NANONET_CROSS_TRIPLE} CACHE PATH "the cross libc's root (qemu-aarch64 -L)")

set(CMAKE_C_COMPILER ${NANONET_CROSS_TRIPLE}-gcc)

set(CMAKE_FIND_ROOT_PATH ${NANONET_CROSS_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

find_program(NANONET_QEMU_AARCH64 qemu-aarch64)
if(NANONET_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${NANONET_QEMU_AARCH64} -L ${NANONET_CROSS_SYSROOT})
endif()
