class ForgivingPaginationMixin:
    """Pagination where a bad ?page= (text, 0, past the end) shows the nearest real page
    instead of a 404: a shared or hand-edited link should still land somewhere useful."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()
