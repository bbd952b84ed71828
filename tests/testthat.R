library(testthat)
library(fastnma)

test_check("fastnma")
