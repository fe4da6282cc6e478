"""The course website (`medai site`): static pages made from course.yml, the lessons and the
dataset catalog, built with Sphinx and MyST-NB, readable offline."""
