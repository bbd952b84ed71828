# The unit tests of the C++ core (src/test-*.cpp, Catch), run from the
# compiled package: each Catch section is reported as a test here.
run_cpp_tests("fastnma")
