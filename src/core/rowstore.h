// Compressed sparse rows filled by several threads, chunk by chunk, and
// handed over with little more memory than the entries themselves.
//
// Each chunk of rows appends its entries (column index and value) to one
// growing buffer, in the order the chunks finish, and records the number of
// entries of each of its rows. At the end the entries are moved to their
// place in row order (move_to(), into storage the caller allocated, e.g. the
// slots of a sparse matrix) from the end of the buffer backwards, the buffer
// shrinking as it goes: with the C library's realloc() large buffers grow
// and shrink in place (mremap on Linux), so the buffer and the destination
// together hold about one copy of the entries at any time, instead of the
// pieces and the joined vectors side by side.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

namespace fastnma {

// A growable array of plain values on malloc/realloc.
template <class T>
class GrowBuffer {
 public:
  GrowBuffer() = default;
  GrowBuffer(const GrowBuffer&) = delete;
  GrowBuffer& operator=(const GrowBuffer&) = delete;
  ~GrowBuffer() { std::free(data_); }

  void reserve(size_t cap) {
    if (cap <= cap_) return;
    void* p = std::realloc(data_, cap * sizeof(T));
    if (p == nullptr) throw std::bad_alloc();
    data_ = static_cast<T*>(p);
    cap_ = cap;
  }
  void append(const T* v, size_t n) {
    if (size_ + n > cap_) reserve(std::max(size_ + n, cap_ + cap_ / 2));
    if (n) std::memcpy(data_ + size_, v, n * sizeof(T));
    size_ += n;
  }
  // Keeps the first n values and gives the rest of the memory back.
  void truncate(size_t n) {
    size_ = std::min(size_, n);
    if (size_ == 0) {
      std::free(data_);
      data_ = nullptr;
      cap_ = 0;
      return;
    }
    void* p = std::realloc(data_, size_ * sizeof(T));
    if (p != nullptr) {
      data_ = static_cast<T*>(p);
      cap_ = size_;
    }
  }
  const T* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  T* data_ = nullptr;
  size_t size_ = 0, cap_ = 0;
};

class RowStore {
 public:
  // `n_rows` rows in chunks of `chunk_rows`; `expected` entries in all at
  // most (the buffers start at the smaller of it and about 40 MB, large
  // enough to be their own mapping).
  RowStore(long n_rows, int chunk_rows, size_t expected)
      : chunk_rows_(chunk_rows), row_nnz_(n_rows, 0) {
    const size_t start = std::min(expected, static_cast<size_t>(5) << 20);
    j_.reserve(std::max<size_t>(start * 2, 1));
    x_.reserve(std::max<size_t>(start, 1));
  }

  // The entries of chunk `c` (rows c * chunk_rows onwards), row by row:
  // `nnz` entries per row, columns `j`, values `x`.
  void add_chunk(long c, const std::vector<int>& nnz, const std::vector<int>& j,
                 const std::vector<double>& x) {
    std::lock_guard<std::mutex> lock(mu_);
    const long first = c * chunk_rows_;
    std::copy(nnz.begin(), nnz.end(), row_nnz_.begin() + first);
    pieces_.push_back({first, j_.size(), j.size()});
    j_.append(j.data(), j.size());
    x_.append(x.data(), x.size());
  }

  size_t n_entries() const { return j_.size(); }
  long n_rows() const { return static_cast<long>(row_nnz_.size()); }

  // The row pointers (n_rows + 1 values from 0).
  template <class Int>
  void row_pointers(Int* p) const {
    p[0] = 0;
    for (size_t r = 0; r < row_nnz_.size(); ++r) p[r + 1] = p[r] + row_nnz_[r];
  }

  // Moves the entries, in row order, to j_out and x_out (n_entries() each),
  // emptying the store; p: the row pointers.
  template <class Int>
  void move_to(const Int* p, int* j_out, double* x_out) {
    std::sort(pieces_.begin(), pieces_.end(),
              [](const Piece& a, const Piece& b) { return a.offset > b.offset; });
    for (const Piece& pc : pieces_) {
      const size_t to = static_cast<size_t>(p[pc.first_row]);
      if (pc.count) {
        std::memcpy(j_out + to, j_.data() + pc.offset, pc.count * sizeof(int));
        std::memcpy(x_out + to, x_.data() + pc.offset, pc.count * sizeof(double));
      }
      j_.truncate(pc.offset);
      x_.truncate(pc.offset);
    }
    pieces_.clear();
  }

 private:
  struct Piece {
    long first_row;
    size_t offset, count;
  };
  int chunk_rows_;
  std::vector<int> row_nnz_;
  std::vector<Piece> pieces_;
  GrowBuffer<int> j_;
  GrowBuffer<double> x_;
  std::mutex mu_;
};

}  // namespace fastnma
