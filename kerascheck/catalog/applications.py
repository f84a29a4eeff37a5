"""The Keras applications whose output kerascheck knows without building them:
the channels of their last feature map (tests/test_wrapper_and_application_shapes.py builds each
one with the installed Keras to check it). Only for the default width: `alpha`
changes a MobileNet's channels."""

from __future__ import annotations

FEATURE_CHANNELS: dict[str, int] = {
    "VGG16": 512,
    "VGG19": 512,
    "ResNet50": 2048,
    "ResNet101": 2048,
    "ResNet152": 2048,
    "ResNet50V2": 2048,
    "ResNet101V2": 2048,
    "ResNet152V2": 2048,
    "InceptionV3": 2048,
    "InceptionResNetV2": 1536,
    "Xception": 2048,
    "MobileNet": 1024,
    "MobileNetV2": 1280,
    "DenseNet121": 1024,
    "DenseNet169": 1664,
    "DenseNet201": 1920,
    "EfficientNetB0": 1280,
    "EfficientNetB1": 1280,
    "EfficientNetB2": 1408,
    "EfficientNetB3": 1536,
    "ConvNeXtTiny": 768,
}
# The weights without the classifier (include_top=False), on RGB images (the
# same whatever the image size, and whatever the pooling).
FEATURE_PARAMS: dict[str, int] = {
    "VGG16": 14714688,
    "VGG19": 20024384,
    "ResNet50": 23587712,
    "ResNet101": 42658176,
    "ResNet152": 58370944,
    "ResNet50V2": 23564800,
    "ResNet101V2": 42626560,
    "ResNet152V2": 58331648,
    "InceptionV3": 21802784,
    "InceptionResNetV2": 54336736,
    "Xception": 20861480,
    "MobileNet": 3228864,
    "MobileNetV2": 2257984,
    "DenseNet121": 7037504,
    "DenseNet169": 12642880,
    "DenseNet201": 18321984,
    "EfficientNetB0": 4049571,
    "EfficientNetB1": 6575239,
    "EfficientNetB2": 7768569,
    "EfficientNetB3": 10783535,
    "ConvNeXtTiny": 27820128,
}
# Without its classifier (include_top=False), `pooling` decides the output:
# None keeps the feature map, "avg" and "max" pool it to one vector.
POOLINGS = (None, "avg", "max")
# With its classifier: one unit per class, 1000 (ImageNet) by default.
DEFAULT_CLASSES = 1000
